package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// shopLogoPath serves a shop's logo, the image at the top of its 納品書.
func shopLogoPath(id int64) string { return "/shops/" + i64toa(id) + "/logo" }

// shopLogo serves a shop's logo to any logged-in user (the slip is printed from the orders, the
// logo set in the shop's settings; an image printed in every parcel is no secret) with the type
// sniffed when it was saved, and nosniff so that no browser takes it for anything else.
func (h *Handler) shopLogo(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.deps.Store.ShopLogo(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", l.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(l.Data)
}

// saveShopLogo takes an uploaded logo (multipart field "logo"), checked by its bytes.
func (h *Handler) saveShopLogo(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	path := shopPath(sh.ID) + "/sender"
	l, err := readLogo(r)
	if err == nil {
		l, err = shop.CheckLogo(l.Data)
	}
	if err == nil {
		err = h.deps.Store.SetShopLogo(r.Context(), sh.ID, l, stateOf(r.Context()).user.Login)
	}
	if err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	h.settingsDone(w, r, path, fmt.Sprintf("店舗「%s」の納品書のロゴを保存しました。", sh.Name))
}

// readLogo reads the upload's "logo" file, at most shop.LogoMax bytes (one byte more tells it
// is over).
func readLogo(r *http.Request) (shop.Logo, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return shop.Logo{}, apperror.New(apperror.Invalid, "ロゴの画像ファイル(PNGかJPEG)を選んでからアップロードしてください。")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return shop.Logo{}, apperror.New(apperror.Invalid, "ロゴの画像ファイル(PNGかJPEG)を選んでからアップロードしてください。")
		}
		if err != nil {
			if tooLarge(err) {
				return shop.Logo{}, apperror.New(apperror.Invalid, "ロゴの画像が大きすぎます。500KBまでのPNGかJPEGに縮小してからアップロードしてください。")
			}
			return shop.Logo{}, apperror.New(apperror.Invalid, "アップロードを読み取れませんでした。もう一度お試しください。")
		}
		if part.FormName() != "logo" {
			_ = part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, shop.LogoMax+1))
		_ = part.Close()
		if err != nil {
			if tooLarge(err) {
				return shop.Logo{}, apperror.New(apperror.Invalid, "ロゴの画像が大きすぎます。500KBまでのPNGかJPEGに縮小してからアップロードしてください。")
			}
			return shop.Logo{}, apperror.New(apperror.Invalid, "アップロードを読み取れませんでした。もう一度お試しください。")
		}
		return shop.Logo{Data: data}, nil
	}
}

// deleteShopLogo removes a shop's logo: its slips print without one.
func (h *Handler) deleteShopLogo(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	path := shopPath(sh.ID) + "/sender"
	if err := h.deps.Store.DeleteShopLogo(r.Context(), sh.ID, stateOf(r.Context()).user.Login); err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	h.settingsDone(w, r, path, fmt.Sprintf("店舗「%s」の納品書のロゴを削除しました。", sh.Name))
}

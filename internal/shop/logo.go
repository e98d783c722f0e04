package shop

import (
	"bytes"
	"image"
	_ "image/jpeg" // the decoders CheckLogo accepts
	_ "image/png"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// LogoMax is the most a shop's logo may weigh: a slip's header image, not a photograph.
const LogoMax = 500 << 10

// logoMaxSide is the widest or tallest a logo may be, in pixels.
const logoMaxSide = 2000

// Logo is a shop's logo as printed at the top of its 納品書: a PNG or JPEG image, kept in the
// store with the content type read from its bytes.
type Logo struct {
	ContentType string // image/png or image/jpeg
	Data        []byte
	UpdatedAt   time.Time
}

// CheckLogo reads an uploaded logo and returns it with its content type, sniffed from its
// bytes (never the name or the browser's word): only PNG and JPEG are taken, whole images no
// larger than LogoMax and logoMaxSide a side. SVG is refused: it is a document that may carry
// script, not an image.
func CheckLogo(data []byte) (Logo, error) {
	switch {
	case len(data) == 0:
		return Logo{}, apperror.New(apperror.Invalid, "ロゴの画像ファイル(PNGかJPEG)を選んでください。")
	case len(data) > LogoMax:
		return Logo{}, apperror.New(apperror.Invalid, "ロゴの画像が大きすぎます(%dKB)。500KBまでのPNGかJPEGに縮小してからアップロードしてください。", len(data)>>10)
	}
	ct := http.DetectContentType(data)
	if ct != "image/png" && ct != "image/jpeg" {
		return Logo{}, apperror.New(apperror.Invalid, "ロゴはPNGかJPEGの画像にしてください(SVG・GIFなどは使えません)。画像編集ソフトでPNGに書き出してからアップロードしてください。")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err == nil && (cfg.Width > logoMaxSide || cfg.Height > logoMaxSide) {
		return Logo{}, apperror.New(apperror.Invalid, "ロゴの画像が%d×%dピクセルあります。縦横2000ピクセルまでに縮小してからアップロードしてください。", cfg.Width, cfg.Height)
	}
	if err == nil {
		// The whole image must decode: a cut-off upload would print as a broken image.
		_, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return Logo{}, apperror.New(apperror.Invalid, "ロゴの画像が読めません(ファイルが壊れているか途中で切れています)。画像を保存し直してからアップロードしてください。")
	}
	return Logo{ContentType: ct, Data: data}, nil
}

package api

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"unicode/utf8"
)

// maxCheckedBody is how much of a body is read to check its encoding: huma refuses a body over
// its 1 MiB limit anyway, so the rest is passed on unread for huma to refuse.
const maxCheckedBody = 1 << 20

// notUTF8 returns the refusal of a request whose query or body is not valid UTF-8, or "". JSON
// decoding would turn each bad byte into U+FFFD and store, say, a shop name sent in Shift_JIS
// as mojibake nobody can read back. The body read is put back for the operation.
func notUTF8(r *http.Request) string {
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		for name, values := range q {
			for _, v := range append(values, name) {
				if !utf8.ValidString(v) {
					return "クエリパラメーターにUTF-8として読めない文字が含まれています。UTF-8でパーセントエンコードして送り直してください。"
				}
			}
		}
	}
	if r.Body == nil || r.Body == http.NoBody {
		return ""
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxCheckedBody+1))
	rest := r.Body
	r.Body = readCloser{io.MultiReader(bytes.NewReader(head), rest), rest}
	if err != nil || len(head) > maxCheckedBody {
		return "" // huma answers a body it cannot read, or one too large
	}
	if !utf8.Valid(head) {
		return "リクエストの本文にUTF-8として読めない文字が含まれています(Shift_JIS などで送られた可能性があります)。本文をUTF-8で送り直してください。"
	}
	return ""
}

type readCloser struct {
	io.Reader
	io.Closer
}

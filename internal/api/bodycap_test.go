package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestBodiesAreCappedBeforeTheToken: before any token is checked, a request without one can
// make the server read no more than 16 KiB of its body, and one with a token no more than a
// mebibyte, whatever it sends.
func TestBodiesAreCappedBeforeTheToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header string
		limit  int64
	}{{"no token", "", anonymousBodyMax}, {"a token", "Bearer x", bodyMax}} {
		r := httptest.NewRequest(http.MethodPost, Prefix+"/orders/move", bytes.NewReader(make([]byte, 4<<20)))
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		capBody(httptest.NewRecorder(), r)
		n, err := io.Copy(io.Discard, r.Body)
		var mbe *http.MaxBytesError
		if n != tc.limit || !errors.As(err, &mbe) {
			t.Errorf("%s: read %d bytes of 4 MiB (%v), want %d and a MaxBytesError", tc.name, n, err, tc.limit)
		}
	}
}

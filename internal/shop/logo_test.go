package shop

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func logoImage(t *testing.T, w, h int, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestALogoIsAPNGOrAJPEGByItsBytes: a PNG and a JPEG are taken with the content type their
// bytes show; SVG (even named .png), GIF, a cut-off PNG, an image over 500KB or over 2000 pixels
// a side, and nothing at all are refused with what to upload.
func TestALogoIsAPNGOrAJPEGByItsBytes(t *testing.T) {
	t.Parallel()
	pngLogo := logoImage(t, 120, 40, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	jpegLogo := logoImage(t, 120, 40, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) })
	for data, want := range map[string]string{string(pngLogo): "image/png", string(jpegLogo): "image/jpeg"} {
		l, err := CheckLogo([]byte(data))
		if err != nil || l.ContentType != want || !bytes.Equal(l.Data, []byte(data)) {
			t.Errorf("%s: %q, %v", want, l.ContentType, err)
		}
	}
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	gifLogo := logoImage(t, 10, 10, func(b *bytes.Buffer, i image.Image) error { return gif.Encode(b, i, nil) })
	huge := append(append([]byte{}, pngLogo...), make([]byte, LogoMax)...)
	wide := logoImage(t, 2001, 1, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	for name, c := range map[string]struct {
		data []byte
		msg  string
	}{
		"svg": {svg, "PNGかJPEG"}, "gif": {gifLogo, "PNGかJPEG"}, "cut": {pngLogo[:40], "読めません"},
		"huge": {huge, "500KB"}, "wide": {wide, "2000"}, "empty": {nil, "選んで"},
	} {
		if _, err := CheckLogo(c.data); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want a refusal saying %q", name, err, c.msg)
		}
	}
}

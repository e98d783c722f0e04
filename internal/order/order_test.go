package order

import "testing"

func TestUnfixedAmountIsNeverSummed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		terms []Yen
		want  string
	}{
		{"fixed", []Yen{YenOf(1080), YenOf(660)}, "¥1,740"},
		{"one unfixed", []Yen{YenOf(1080), Unfixed()}, "未確定"},
		{"negative", []Yen{YenOf(-1234567)}, "-¥1,234,567"},
		{"zero", []Yen{YenOf(0)}, "¥0"},
		{"thousands", []Yen{YenOf(999), YenOf(1)}, "¥1,000"},
	}
	for _, c := range cases {
		if got := Add(c.terms...).String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if YenFromPtr(Unfixed().Int64Ptr()).Fixed() || !YenFromPtr(YenOf(5).Int64Ptr()).Fixed() {
		t.Error("pointer round trip loses the fixed state")
	}
}

func TestNormaliseTrackingNumber(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"４４４４-１３７５-８７０３": "444413758703",
		"4444 1375 8703": "444413758703",
		"ａａ１２３４５６７８９ｊｐ":  "AA123456789JP",
		"ee123456789jp":  "EE123456789JP",
		"":               "",
	}
	for in, want := range cases {
		if got := NormaliseTrackingNumber(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestBundleChildIsNeverReported(t *testing.T) {
	t.Parallel()
	for class, want := range map[ManagementClass]bool{Normal: true, BundleParent: true, BundleChild: false, Split: true} {
		if class.Reportable() != want {
			t.Errorf("%s reportable = %v", class, !want)
		}
	}
}

package order

import (
	"strconv"
	"strings"
)

// Yen is an amount in integer yen that may be not yet fixed (未確定), as Rakuten reports postage
// or a cash-on-delivery fee of -9999 until the shop sets it. An unfixed amount is shown as 未確定
// and never summed.
type Yen struct {
	value int64
	fixed bool
}

// YenOf returns a fixed amount.
func YenOf(v int64) Yen { return Yen{value: v, fixed: true} }

// Unfixed returns the "not yet fixed" amount.
func Unfixed() Yen { return Yen{} }

// Fixed reports whether the amount is known.
func (y Yen) Fixed() bool { return y.fixed }

// Value returns the amount and whether it is fixed.
func (y Yen) Value() (int64, bool) { return y.value, y.fixed }

// Int64Ptr returns the amount, or nil when it is not fixed; the store keeps NULL for 未確定.
func (y Yen) Int64Ptr() *int64 {
	if !y.fixed {
		return nil
	}
	v := y.value
	return &v
}

// YenFromPtr is the inverse of Int64Ptr.
func YenFromPtr(p *int64) Yen {
	if p == nil {
		return Unfixed()
	}
	return YenOf(*p)
}

// Add sums amounts; the result is unfixed when any term is.
func Add(terms ...Yen) Yen {
	var sum int64
	for _, t := range terms {
		if !t.fixed {
			return Unfixed()
		}
		sum += t.value
	}
	return YenOf(sum)
}

// String formats the amount as ¥1,234 or 未確定.
func (y Yen) String() string {
	if !y.fixed {
		return "未確定"
	}
	if y.value < 0 {
		return "-¥" + Grouped(-y.value)
	}
	return "¥" + Grouped(y.value)
}

// Grouped writes a number with a comma every three digits: 12,345.
func Grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

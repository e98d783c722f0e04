package order

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// DayRange is a span of order days named relative to the day it is read on (issue 20 item 3):
// a saved search of 「今日」 finds today's orders whenever it is opened, not those of the day it
// was saved. Days are Japan time's.
type DayRange string

// The day ranges an operator picks from. Last7 and Last30 end today and count it (過去7日 is
// today and the six days before, as a shop's daily report reads it).
const (
	DayToday     DayRange = "today"
	DayYesterday DayRange = "yesterday"
	DayLast7     DayRange = "last7"
	DayLast30    DayRange = "last30"
	DayThisMonth DayRange = "thismonth"
	DayLastMonth DayRange = "lastmonth"
)

// DayRanges are every day range, in the order the search form offers them.
var DayRanges = []DayRange{DayToday, DayYesterday, DayLast7, DayLast30, DayThisMonth, DayLastMonth}

// Label is the range's name on the screen.
func (r DayRange) Label() string {
	switch r {
	case DayToday:
		return "今日"
	case DayYesterday:
		return "昨日"
	case DayLast7:
		return "過去7日"
	case DayLast30:
		return "過去30日"
	case DayThisMonth:
		return "今月"
	case DayLastMonth:
		return "先月"
	}
	return string(r)
}

// Valid reports whether r is one of DayRanges.
func (r DayRange) Valid() bool {
	for _, d := range DayRanges {
		if d == r {
			return true
		}
	}
	return false
}

// ParseDayRange reads a day range token; empty is none. what names the field in the refusal.
func ParseDayRange(s, what string) (DayRange, error) {
	r := DayRange(s)
	if s == "" || r.Valid() {
		return r, nil
	}
	return "", apperror.New(apperror.Invalid, "%sの指定「%s」が読めません。今日・昨日・過去7日・過去30日・今月・先月 (today, yesterday, last7, last30, thismonth, lastmonth) から選んでください。", what, s)
}

// Bounds are the range on the day of now in Japan time: from its first day's start (inclusive)
// to the start of the day after its last (exclusive). An unknown range is the zero times.
func (r DayRange) Bounds(now time.Time) (from, to time.Time) {
	j := now.In(JST)
	today := time.Date(j.Year(), j.Month(), j.Day(), 0, 0, 0, 0, JST)
	tomorrow := today.AddDate(0, 0, 1)
	month := time.Date(j.Year(), j.Month(), 1, 0, 0, 0, 0, JST)
	switch r {
	case DayToday:
		return today, tomorrow
	case DayYesterday:
		return today.AddDate(0, 0, -1), today
	case DayLast7:
		return today.AddDate(0, 0, -6), tomorrow
	case DayLast30:
		return today.AddDate(0, 0, -29), tomorrow
	case DayThisMonth:
		return month, month.AddDate(0, 1, 0)
	case DayLastMonth:
		return month.AddDate(0, -1, 0), month
	}
	return time.Time{}, time.Time{}
}

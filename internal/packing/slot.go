package packing

import (
	"regexp"
	"strconv"
	"strings"
)

// Slot is a delivery time of day (配達時間帯) as the buyer asked for it, carrier-neutral.
type Slot string

// The slots the carriers offer between them.
const (
	SlotNone    Slot = ""
	SlotMorning Slot = "am"    // 午前中
	Slot1214    Slot = "12-14" // 12時〜14時 (佐川, ゆうパック; ヤマト dropped it)
	Slot1416    Slot = "14-16"
	Slot1618    Slot = "16-18"
	Slot1820    Slot = "18-20"
	Slot1921    Slot = "19-21"
	Slot1821    Slot = "18-21" // 佐川「5時間帯」
	Slot2021    Slot = "20-21" // ゆうパック
)

var hours = regexp.MustCompile(`(\d{1,2})\s*(?:時|:00|：００|:)?\s*[〜~～\-－ー―から]+\s*(\d{1,2})`)

// ParseSlot reads a package's お届け時間帯 as the marketplaces write it (午前, 午前中, 14時〜16時,
// 14:00-16:00, 1416) and says whether it understood it; "" is no slot.
func ParseSlot(words string) (Slot, bool) {
	w := strings.TrimSpace(toHalfDigits(words))
	switch {
	case w == "" || w == "指定なし" || w == "なし":
		return SlotNone, true
	case strings.HasPrefix(w, "午前"), w == "0812", strings.HasPrefix(w, "8時") && strings.Contains(w, "12"):
		return SlotMorning, true
	}
	var from, to int
	if m := hours.FindStringSubmatch(w); m != nil {
		from, _ = strconv.Atoi(m[1])
		to, _ = strconv.Atoi(m[2])
	} else if len(w) == 4 && strings.Trim(w, "0123456789") == "" {
		from, _ = strconv.Atoi(w[:2])
		to, _ = strconv.Atoi(w[2:])
	} else {
		return SlotNone, false
	}
	switch s := Slot(strconv.Itoa(from) + "-" + strconv.Itoa(to)); s {
	case Slot1214, Slot1416, Slot1618, Slot1820, Slot1921, Slot1821, Slot2021:
		return s, true
	}
	if from == 8 && to == 12 {
		return SlotMorning, true
	}
	return SlotNone, false
}

// Label is the slot in Japanese, for warnings.
func (s Slot) Label() string {
	switch s {
	case SlotNone:
		return "指定なし"
	case SlotMorning:
		return "午前中"
	}
	from, to, _ := strings.Cut(string(s), "-")
	return from + "時〜" + to + "時"
}

func toHalfDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + r - '０'
		}
		if r == '：' {
			return ':'
		}
		return r
	}, s)
}

// yamatoSlots are B2クラウド's 配達時間帯 codes (carriers-and-mail.md A1, M–H: the yamato_b2_cloud
// gem and two exporters agree). 1214 and 2021 were dropped by Yamato and are never written.
var yamatoSlots = map[Slot]string{SlotNone: "", SlotMorning: "0812", Slot1416: "1416", Slot1618: "1618", Slot1820: "1820", Slot1921: "1921"}

// sagawaSlots are e飛伝's 配達指定時間帯 codes (A2, M: furumaru and an e飛伝Ⅱ VO). 18-21 is the
// 「5時間帯」 plan's 04; 18-20 and 19-21 are the 「6時間帯」 option's 18 and 19.
var sagawaSlots = map[Slot]string{SlotNone: "", SlotMorning: "01", Slot1214: "12", Slot1416: "14", Slot1618: "16", Slot1820: "18", Slot1921: "19", Slot1821: "04"}

// japanPostSlots are ゆうパック's 配達時間帯 codes (A3, L: flagship gives 00 指定なし and 52 12–14;
// the rest follow the same numbering and are unverified). Searched again 2026-12-03 (code and
// pages corpora): no public source for ゆうプリR's or クリックポスト's codes was found
// (クリックポスト is believed to offer no time slot; that is not checked against a source
// either). The one public enum found, for ゆうパックスマホ割, numbers the slots differently
// (午前中 60, 12–14 62 … 19–21 67) and is another program's: do not mix them.
var japanPostSlots = map[Slot]string{SlotNone: "00", SlotMorning: "51", Slot1214: "52", Slot1416: "53", Slot1618: "54", Slot1820: "55", Slot2021: "56", Slot1921: "57"}

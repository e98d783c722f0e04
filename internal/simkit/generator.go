package simkit

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// Generator makes realistic Japanese buyers, addresses and items, repeatably for a seed.
type Generator struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

// NewGenerator returns a generator for seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{rnd: rand.New(rand.NewPCG(seed, 0x1c41))}
}

type kanaName struct{ kanji, kana string }

var (
	familyNames = []kanaName{{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
		{"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"}, {"吉田", "ヨシダ"},
		{"山田", "ヤマダ"}, {"佐々木", "ササキ"}, {"松本", "マツモト"}, {"井上", "イノウエ"}, {"木村", "キムラ"}}
	givenNames = []kanaName{{"太郎", "タロウ"}, {"花子", "ハナコ"}, {"一郎", "イチロウ"}, {"美咲", "ミサキ"}, {"健太", "ケンタ"},
		{"陽菜", "ヒナ"}, {"翔", "ショウ"}, {"さくら", "サクラ"}, {"大輔", "ダイスケ"}, {"由美", "ユミ"}, {"蓮", "レン"}, {"結衣", "ユイ"}}
	places = []struct{ zip, prefecture, city, street string }{
		{"100-0005", "東京都", "千代田区", "丸の内"}, {"150-0002", "東京都", "渋谷区", "渋谷"}, {"530-0001", "大阪府", "大阪市北区", "梅田"},
		{"060-0001", "北海道", "札幌市中央区", "北一条西"}, {"812-0011", "福岡県", "福岡市博多区", "博多駅前"},
		{"460-0008", "愛知県", "名古屋市中区", "栄"}, {"980-0021", "宮城県", "仙台市青葉区", "中央"}, {"730-0011", "広島県", "広島市中区", "基町"},
		{"900-0015", "沖縄県", "那覇市", "久茂地"}, {"231-0023", "神奈川県", "横浜市中区", "山下町"}, {"600-8216", "京都府", "京都市下京区", "東塩小路町"},
	}
	buildings = []string{"", "", "", " メゾン青葉101", " サンハイツ203", " グランドパレス1205", " コーポ緑402"}
)

// CatalogItem is one product the generator orders.
type CatalogItem struct {
	ManageNumber string
	ItemNumber   string
	Name         string
	Price        int64 // tax included
	TaxRate      int64 // percent
	Choices      []string
}

// Catalog is the simulated shop's products: tea and tableware, food at the reduced rate.
var Catalog = []CatalogItem{
	{"sencha-100", "TEA-001", "静岡煎茶 特上 100g", 1080, 8, nil},
	{"gyokuro-80", "TEA-002", "八女玉露 80g", 2160, 8, nil},
	{"matcha-30", "TEA-003", "宇治抹茶 30g缶", 1620, 8, nil},
	{"hojicha-tb", "TEA-004", "ほうじ茶 ティーバッグ 20包", 756, 8, nil},
	{"yunomi-hasami", "CUP-001", "波佐見焼 湯呑み", 2200, 10, []string{"色:藍", "色:白", "色:灰"}},
	{"kyusu-tokoname", "POT-001", "常滑焼 急須 300ml", 5500, 10, []string{"色:朱泥", "色:黒"}},
	{"gift-box", "GIFT-01", "ギフト箱", 330, 10, []string{"のし:なし", "のし:御礼", "のし:御祝"}},
	{"wagashi-set", "SWEET-01", "季節の和菓子 6個入", 2480, 8, nil},
}

// Person is a generated buyer or recipient.
type Person struct {
	FamilyName, FirstName, FamilyKana, FirstKana string
	Zip, Prefecture, City, SubAddress            string
	Phone, Email                                 string
}

// Line is a generated order line.
type Line struct {
	Item     CatalogItem
	Choice   string
	Quantity int64
}

// Person returns a new person.
func (g *Generator) Person() Person {
	g.mu.Lock()
	defer g.mu.Unlock()
	f, n, p := familyNames[g.rnd.IntN(len(familyNames))], givenNames[g.rnd.IntN(len(givenNames))], places[g.rnd.IntN(len(places))]
	return Person{
		FamilyName: f.kanji, FirstName: n.kanji, FamilyKana: f.kana, FirstKana: n.kana,
		Zip: p.zip, Prefecture: p.prefecture, City: p.city,
		SubAddress: fmt.Sprintf("%s%d-%d-%d%s", p.street, g.rnd.IntN(9)+1, g.rnd.IntN(20)+1, g.rnd.IntN(30)+1, buildings[g.rnd.IntN(len(buildings))]),
		Phone:      fmt.Sprintf("0%d0-%04d-%04d", 7+g.rnd.IntN(3), g.rnd.IntN(10000), g.rnd.IntN(10000)),
		Email:      fmt.Sprintf("buyer%06d@example.jp", g.rnd.IntN(1_000_000)),
	}
}

// Lines returns one to four lines of distinct items.
func (g *Generator) Lines() []Line {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 1 + g.rnd.IntN(4)
	picked := g.rnd.Perm(len(Catalog))[:n]
	out := make([]Line, n)
	for i, k := range picked {
		item := Catalog[k]
		choice := ""
		if len(item.Choices) > 0 {
			choice = item.Choices[g.rnd.IntN(len(item.Choices))]
		}
		out[i] = Line{Item: item, Choice: choice, Quantity: int64(1 + g.rnd.IntN(3))}
	}
	return out
}

// Chance reports true with probability p.
func (g *Generator) Chance(p float64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rnd.Float64() < p
}

// IntN returns a number in [0, n).
func (g *Generator) IntN(n int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rnd.IntN(n)
}

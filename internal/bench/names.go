package bench

import (
	"math/rand/v2"
	"slices"
	"sort"
)

// name is a family or given name with its reading, as marketplaces send the buyer's kana.
type name struct {
	kanji, kana string
	weight      float64
}

// commonFamilyNames are Japan's most common family names with their share of the population,
// per 10,000 people (rounded, from the national rankings): 佐藤 alone is one buyer in seventy,
// so a search for it finds some 15,000 orders of a million.
var commonFamilyNames = []name{
	{"佐藤", "サトウ", 150}, {"鈴木", "スズキ", 143}, {"高橋", "タカハシ", 113}, {"田中", "タナカ", 107}, {"伊藤", "イトウ", 87},
	{"渡辺", "ワタナベ", 86}, {"山本", "ヤマモト", 86}, {"中村", "ナカムラ", 84}, {"小林", "コバヤシ", 82}, {"加藤", "カトウ", 71},
	{"吉田", "ヨシダ", 67}, {"山田", "ヤマダ", 66}, {"佐々木", "ササキ", 55}, {"山口", "ヤマグチ", 51}, {"松本", "マツモト", 51},
	{"井上", "イノウエ", 49}, {"木村", "キムラ", 46}, {"林", "ハヤシ", 42}, {"斎藤", "サイトウ", 42}, {"清水", "シミズ", 41},
	{"山崎", "ヤマザキ", 38}, {"森", "モリ", 38}, {"池田", "イケダ", 35}, {"橋本", "ハシモト", 35}, {"阿部", "アベ", 35},
	{"石川", "イシカワ", 34}, {"山下", "ヤマシタ", 33}, {"中島", "ナカジマ", 32}, {"石井", "イシイ", 32}, {"小川", "オガワ", 31},
}

// The rest of the population, four buyers in five, carries rarer names: made here of two
// characters each, some thousands of them, each shared by a few buyers in ten thousand.
var (
	firstParts = []name{{"上", "ウエ", 1}, {"下", "シモ", 1}, {"大", "オオ", 1}, {"小", "コ", 1}, {"石", "イシ", 1}, {"岩", "イワ", 1},
		{"北", "キタ", 1}, {"南", "ミナミ", 1}, {"西", "ニシ", 1}, {"東", "ヒガシ", 1}, {"今", "イマ", 1}, {"新", "ニイ", 1},
		{"古", "フル", 1}, {"平", "ヒラ", 1}, {"長", "ナガ", 1}, {"吉", "ヨシ", 1}, {"宮", "ミヤ", 1}, {"藤", "フジ", 1},
		{"荒", "アラ", 1}, {"菊", "キク", 1}, {"桜", "サクラ", 1}, {"松", "マツ", 1}, {"竹", "タケ", 1}, {"杉", "スギ", 1},
		{"福", "フク", 1}, {"金", "カネ", 1}, {"黒", "クロ", 1}, {"白", "シラ", 1}, {"青", "アオ", 1}, {"早", "ハヤ", 1}}
	secondParts = []name{{"川", "カワ", 1}, {"田", "タ", 1}, {"山", "ヤマ", 1}, {"村", "ムラ", 1}, {"野", "ノ", 1}, {"原", "ハラ", 1},
		{"井", "イ", 1}, {"沢", "サワ", 1}, {"島", "シマ", 1}, {"崎", "サキ", 1}, {"谷", "タニ", 1}, {"口", "グチ", 1},
		{"本", "モト", 1}, {"木", "キ", 1}, {"岡", "オカ", 1}, {"浦", "ウラ", 1}, {"瀬", "セ", 1}, {"尾", "オ", 1},
		{"橋", "ハシ", 1}, {"森", "モリ", 1}}
	givenNames = []name{{"太郎", "タロウ", 1}, {"花子", "ハナコ", 1}, {"一郎", "イチロウ", 1}, {"美咲", "ミサキ", 1}, {"健太", "ケンタ", 1},
		{"陽菜", "ヒナ", 1}, {"翔", "ショウ", 1}, {"さくら", "サクラ", 1}, {"大輔", "ダイスケ", 1}, {"由美", "ユミ", 1}, {"蓮", "レン", 1},
		{"結衣", "ユイ", 1}, {"拓也", "タクヤ", 1}, {"直子", "ナオコ", 1}, {"誠", "マコト", 1}, {"愛", "アイ", 1}, {"悠真", "ユウマ", 1},
		{"陽子", "ヨウコ", 1}, {"浩二", "コウジ", 1}, {"恵", "メグミ", 1}, {"隆", "タカシ", 1}, {"裕子", "ユウコ", 1}, {"大翔", "ヒロト", 1},
		{"葵", "アオイ", 1}, {"修", "オサム", 1}, {"明美", "アケミ", 1}, {"和也", "カズヤ", 1}, {"真由美", "マユミ", 1}}
)

// familyNames is every family name the seed gives a buyer, with cumulative weights: the common
// names at their shares, the rest sharing what is left of 10,000.
type familyNames struct {
	names []name
	cum   []float64
}

func newFamilyNames() *familyNames {
	f := &familyNames{}
	common := 0.0
	for _, n := range commonFamilyNames {
		f.names = append(f.names, n)
		common += n.weight
	}
	var rare []name
	for _, a := range firstParts {
		for _, b := range secondParts {
			if !slices.ContainsFunc(commonFamilyNames, func(n name) bool { return n.kanji == a.kanji+b.kanji }) {
				rare = append(rare, name{a.kanji + b.kanji, a.kana + b.kana, 0})
			}
		}
	}
	for _, n := range rare {
		n.weight = (10_000 - common) / float64(len(rare))
		f.names = append(f.names, n)
	}
	total := 0.0
	for _, n := range f.names {
		total += n.weight
		f.cum = append(f.cum, total)
	}
	return f
}

// pick draws a family name at its frequency.
func (f *familyNames) pick(rnd *rand.Rand) name {
	x := rnd.Float64() * f.cum[len(f.cum)-1]
	return f.names[sort.SearchFloat64s(f.cum, x)]
}

// Package testmall is a tiny JSON mall that exists only for the tests: a channel whose client
// and simulator (testmallsim) are small enough to read at once, registered by the conformance
// test alone (internal/channels/conformance_test.go), never by the program.
package testmall

import (
	"cmp"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Channel is the test mall's code.
const Channel = "testmall"

// The test mall's link statuses.
const (
	LinkShipping  workflow.LinkStatus = "testmall_shipping"   // 出荷報告中
	LinkShipped   workflow.LinkStatus = "testmall_shipped"    // 出荷報告済み
	LinkShipError workflow.LinkStatus = "testmall_ship_error" // 出荷報告エラー
)

// The mall's order statuses.
const (
	StatusNew       = "new"
	StatusReady     = "ready"
	StatusShipped   = "shipped"
	StatusCancelled = "cancelled"
)

// PageSize is how many orders a page of GET /api/orders holds.
const PageSize = 20

// Order is an order as the mall sends it.
type Order struct {
	Number    string    `json:"number"`
	OrderedAt time.Time `json:"ordered_at"`
	Buyer     string    `json:"buyer"`
	Item      string    `json:"item"`
	Price     int64     `json:"price"`
	Quantity  int64     `json:"quantity"`
	Status    string    `json:"status"`
	Shipment  *Shipment `json:"shipment,omitempty"`
}

// Shipment is the body of POST /api/orders/{id}/shipment, and an order's shipment once sent.
type Shipment struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	ShipDate       string `json:"ship_date"`
}

// Page is one page of GET /api/orders; NextPage is 0 on the last.
type Page struct {
	Orders   []Order `json:"orders"`
	NextPage int     `json:"next_page"`
}

func init() { channel.Register(Spec) }

// Spec is the test mall as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Channel, Label: "テストモール", LabelEN: "Test mall", Short: "テスト", Position: 900,
	Credentials: []channel.CredentialKey{
		{Name: "token", Label: "APIトークン", Required: true, Secret: true},
		channel.EndpointKey(),
	},
	JobKinds: []workflow.JobKind{workflow.JobImport, workflow.JobShipReport},
	Flow: channel.Flow{
		{Kind: workflow.JobImport},
		{Kind: workflow.JobShipReport, Target: "出荷済み", Success: "完了", Error: "エラー"},
	},
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkShipping, Label: "出荷報告中", Pending: true},
		{Status: LinkShipped, Label: "出荷報告済み", Manual: true},
		{Status: LinkShipError, Label: "出荷報告エラー"},
	},
	Eligibility: map[workflow.JobKind]workflow.Eligibility{
		workflow.JobShipReport: {BundleChild: workflow.Decision{Action: workflow.Skip},
			LinkStatuses: []workflow.LinkStatus{workflow.LinkNone, LinkShipping},
			Cancelled:    workflow.Decision{Action: workflow.Refuse, Status: LinkShipError, Message: msgCancelled}},
	},
	BatchSize: 10, // one call an order, as au PAY
	Quota:     channel.Quota{PerSecond: 20, PaceKey: "token"},
	NewClient: NewClient,
}

// NewClient builds the client of one shop.
func NewClient(a channel.Account) (channel.Client, error) {
	if a.Credentials["token"] == "" {
		return nil, fmt.Errorf("テストモールの店舗「%s」にAPIトークンが設定されていません。店舗設定で入力してください。", a.ShopName)
	}
	return &Client{BaseURL: a.BaseURL, Token: a.Credentials["token"], ShopID: a.ShopID, HTTP: a.HTTP, Recorder: a.Recorder,
		Pacer: a.Pacer, Settle: cmp.Or(a.Settle, time.Minute)}, nil
}

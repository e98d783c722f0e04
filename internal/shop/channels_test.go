package shop

import (
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
)

// The channels the tests of this package use, registered by their packages.
var (
	Rakuten = Channel(rakuten.Name)
	AuPay   = Channel(aupay.Channel)
	Amazon  = Channel("amazon")
	CSVShop = Channel("csvshop")

	RakutenCallsPerSecond = rakuten.CallsPerSecond
	AuPayCallsPerSecond   = aupay.CallsPerSecond
)

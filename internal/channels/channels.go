// Package channels registers every channel ichigen talks to: importing it (the program, and the
// tests that need real channels) makes them known to internal/channel's registry. A new channel
// is its own package under internal/channel plus one line here, importing its simulator
// package, which registers the channel and its simulator together.
package channels

import (
	_ "github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
	_ "github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	_ "github.com/ichigen-oms/ichigen/internal/channel/csvshop"
	_ "github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	_ "github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	_ "github.com/ichigen-oms/ichigen/internal/channel/yahoo/yahoosim"
)

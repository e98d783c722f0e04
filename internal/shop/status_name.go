package shop

// StatusName is the marketplace's status raw (as an order stores it) by the marketplace's own
// name for it: 楽天処理中 for Rakuten's 200; raw itself where the channel names no codes or does
// not know this one.
func (c Channel) StatusName(raw string) string {
	if f := c.Spec().StatusName; f != nil {
		if name := f(raw); name != "" {
			return name
		}
	}
	return raw
}

package channel

// The channels ichigen lists but does not talk to yet: shops see them in the channel filter, and
// orders can come from them by CSV. Each moves into a package of its own, registered in
// internal/channels, when it is built.
func init() {
	for _, s := range []Spec{
		{Name: "csvshop", Label: "CSV店舗", LabelEN: "CSV shop", Short: "CSV店舗", Position: 60, Planned: true},
	} {
		Register(s)
	}
}

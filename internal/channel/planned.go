package channel

// The channels ichigen lists but does not talk to yet: shops see them in the channel filter. Each
// moves into a package of its own, registered in internal/channels, when it is built. None is
// planned now: the CSV shop is internal/channel/csvshop, a file-only channel.
func init() {
	for _, s := range []Spec{} {
		Register(s)
	}
}

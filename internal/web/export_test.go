package web

// What the external browser tests (package web_test, which may import internal/app: app imports
// web, so only an external test package can start a whole ichigen) borrow from this package's
// tests.
var (
	StartBrowser = startBrowser
	Screenshot   = screenshot
)

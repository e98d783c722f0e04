package channel

import (
	"context"
	"net/http"
	"time"
)

// Authorization is how a shop of a channel whose marketplace grants access by an OAuth 2.0
// authorization code is authorised from its settings page: the operator is sent to the
// marketplace's consent screen and comes back with a code, which is traded for the credentials
// the client needs (a refresh token) and stored with their expiry. Authorising again is how a
// shop stopped by a refused refresh is put back to work.
type Authorization struct {
	// Label is the settings page's button, in the marketplace's words.
	Label string
	// Needs are the credentials that must be set before authorising (the application's ID and
	// secret), by name.
	Needs []string
	// URL is the consent screen the operator's browser is sent to, with where to come back and
	// the state to come back with.
	URL func(creds map[string]string, redirectURI, state string) string
	// Exchange trades the code the marketplace sent back for credentials to store beside the
	// shop's others, and says when the authorisation lapses.
	Exchange func(ctx context.Context, hc *http.Client, creds map[string]string, code, redirectURI string) (map[string]string, time.Time, error)
}

package user

import "time"

// Session is one operator's login. The browser holds a random token; the store keeps only its
// hash (TokenHash), so that a copy of the database opens no session.
type Session struct {
	TokenHash string
	UserID    int64
	// CSRFToken is what every form and htmx request of the session must send back.
	CSRFToken  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// SessionIdle is how long a session lasts without a request; every request extends it.
const SessionIdle = 12 * time.Hour

// SessionMax is how long a session lasts at most from its login, however active.
const SessionMax = 7 * 24 * time.Hour

package user

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// APIToken is a credential of the REST API. It acts as its user, with the user's permission
// group, so the API allows exactly what the UI allows that user. The client holds the token;
// the store keeps only its hash (TokenHash), like a login session's.
type APIToken struct {
	ID         int64
	TokenHash  string
	UserID     int64
	Name       string // what the token is for, e.g. the script that uses it
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// APITokenPrefix starts every API token, so that a token pasted where it should not be is
// recognisable as one.
const APITokenPrefix = "ichigen_"

// NewAPIToken returns a fresh random token, to be shown once, and the hash to store.
func NewAPIToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token = APITokenPrefix + hex.EncodeToString(b)
	return token, HashAPIToken(token)
}

// HashAPIToken is how an API token is kept at rest and looked up.
func HashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

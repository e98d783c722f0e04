package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// The tries of a login or of one's own current password are counted in the database
// (store.CountLoginAttempt), not in this process: a restart does not reset them, instances
// behind one load balancer share them, and what an anonymous client sends never becomes a
// key kept in memory. A key is a fixed-size hash of what is limited.

// attemptLimit allows max tries per key in a window; a window starts at a key's first try.
type attemptLimit struct {
	kind   string
	max    int64
	window time.Duration
}

// loginBurst is how many tries of one login from one address, or of one user's current
// password, a minute allows.
const loginBurst = 5

var (
	// loginLimit counts the tries of one login from one address.
	loginLimit = attemptLimit{kind: "login", max: loginBurst, window: time.Minute}
	// addressLimit counts the failed tries of every login from one address (an IPv6 /64), so
	// that spraying many logins from one place stops too. A login that succeeds takes its try
	// back, so an office of many operators behind one address is not held up by its own logins.
	addressLimit = attemptLimit{kind: "address", max: 20, window: 10 * time.Minute}
	// passwordLimit counts a user's current-password tries in パスワード変更, from any address.
	passwordLimit = attemptLimit{kind: "password", max: loginBurst, window: time.Minute}
)

// key names what is limited: the limit's kind and the parts, hashed.
func (l attemptLimit) key(parts ...string) string {
	h := sha256.New()
	h.Write([]byte(l.kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return l.kind + ":" + hex.EncodeToString(h.Sum(nil))
}

// refusal is a try over its limit, with when the limit's window ends.
type refusal struct {
	until time.Time
}

// tryAttempt counts one try under key; over the limit it returns the refusal.
func (h *Handler) tryAttempt(ctx context.Context, l attemptLimit, key string) (*refusal, error) {
	a, err := h.deps.Store.CountLoginAttempt(ctx, key, h.deps.Now(), l.window)
	if err != nil {
		return nil, err
	}
	if a.Count > l.max {
		return &refusal{until: a.Until}, nil
	}
	return nil, nil
}

// wait says, in Japan time, when a refused try may come again, and sets Retry-After.
func (rf *refusal) wait(w http.ResponseWriter, now time.Time) string {
	left := max(rf.until.Sub(now), time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(left.Seconds()))))
	return fmt.Sprintf("%d分ほど待ってから(%s以降に)", int(math.Ceil(left.Minutes())), rf.until.In(order.JST).Format("15:04"))
}

// addressOf is the address a limit counts: the client's IP, or its /64 for IPv6, where one
// client holds the whole prefix.
func addressOf(r *http.Request) string {
	ip := clientIP(r)
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// The body caps: a request without a session may send a login form and little more; a
// logged-in operator's forms (a bulk action on a page of orders) stay well under a mebibyte.
const (
	anonymousBodyMax = 16 << 10
	formBodyMax      = 1 << 20
)

// capBody limits what the request's body may hold before anything reads it.
func capBody(w http.ResponseWriter, r *http.Request, loggedIn bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	limit := int64(anonymousBodyMax)
	if loggedIn {
		limit = formBodyMax
		if r.URL.Path == trackingPath || r.URL.Path == csvOrdersPath {
			limit = trackingBodyMax // a carrier program's file of the day's parcels
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
}

// tooLarge reports whether a form could not be read because its body was over the cap.
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestLoginFloodDoesNotGrowMemory: 200 anonymous login posts, each with a different 1 MB login
// name (issue 11, item 3), leave the heap where it was: no login name is kept, whole or as a
// key. Not parallel: it measures the process's heap.
func TestLoginFloodDoesNotGrowMemory(t *testing.T) {
	b := setup(t, storetest.SQLite)
	br := newBrowser(b)
	page := br.do(http.MethodGet, "/login", nil)
	m := csrfInForm.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatal("no CSRF token in the login form")
	}
	cookie := br.cookies[loginCSRFCookie]
	name := bytes.Repeat([]byte("a"), 1<<20)
	post := func(i int) int {
		copy(name, strings.Repeat("0", 8)+itoa(i)) // a different name each time
		body := "csrf_token=" + m[1] + "&password=x&login=" + url.QueryEscape(string(name))
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "198.51.100.7:4000"
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		return w.Code
	}
	before, rssBefore := heapInUse(), rss()
	for i := range 200 {
		if code := post(i); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("post %d of a 1 MB login name: %d, want 413", i, code)
		}
	}
	after := heapInUse()
	runtime.KeepAlive(b.h) // the handler, and whatever it kept, is alive for the measurement
	grown := int64(after) - int64(before)
	t.Logf("heap in use %.1f MB before, %.1f MB after 200 posts of a 1 MB login name (grown %.1f MB); %s before, %s after",
		mb(before), mb(after), float64(grown)/(1<<20), rssBefore, rss())
	if grown > 16<<20 {
		t.Fatalf("the heap grew by %.1f MB after the flood, want under 16 MB", float64(grown)/(1<<20))
	}
	if n := attemptRows(t, b); n != 0 {
		t.Fatalf("the refused posts left %d login-attempt rows", n)
	}
}

// attemptRows counts what the login limits keep in the database.
func attemptRows(t *testing.T, b *testBundle) int {
	t.Helper()
	var n int
	if err := b.st.DB().QueryRowContext(context.Background(), "SELECT count(*) FROM login_attempts").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOverlongLoginIsRefusedBeforeAnything: a login longer than any user may have, or a form
// over the anonymous body cap, is refused with what to do, and nothing is counted or kept.
func TestOverlongLoginIsRefusedBeforeAnything(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		br := newBrowser(b)
		w := br.login(t, strings.Repeat("あ", user.MaxLoginLength+1), "guess guess guess")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "ログインIDが長すぎます") {
			t.Fatalf("a login of %d characters: %d\n%s", user.MaxLoginLength+1, w.Code, w.Body.String())
		}
		w = br.login(t, strings.Repeat("a", anonymousBodyMax), "guess guess guess")
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "送信された内容が大きすぎます") {
			t.Fatalf("a login form over the cap: %d", w.Code)
		}
		if n := attemptRows(t, b); n != 0 {
			t.Fatalf("refused logins left %d login-attempt rows", n)
		}
		addUser(t, b, strings.Repeat("あ", user.MaxLoginLength), "correct horse battery")
		if w := br.login(t, strings.Repeat("あ", user.MaxLoginLength), "correct horse battery"); w.Code != http.StatusSeeOther {
			t.Fatalf("a login of exactly %d characters: %d", user.MaxLoginLength, w.Code)
		}
	})
}

// TestLoginSprayFromOneAddressIsLimited: failed tries of many logins from one address stop
// that address, with when to try again, even for a right password; another address is not
// held up, and successful logins from one address (an office) do not add up.
func TestLoginSprayFromOneAddressIsLimited(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		addUser(t, b, "hanako", "correct horse battery")
		office := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "203.0.113.9:5000"}
		for i := range addressLimit.max + 5 {
			if w := office.login(t, "hanako", "correct horse battery"); w.Code != http.StatusSeeOther {
				t.Fatalf("successful login %d from one address: %d", i+1, w.Code)
			}
			delete(office.cookies, sessionCookie)
		}
		// Each try from a new port and a new IPv6 address in the same /64: one client.
		for i := range int(addressLimit.max) {
			sprayer := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "[2001:db8:1:2::" + itoa(i+1) + "]:4000"}
			if w := sprayer.login(t, "user"+itoa(i), "guess guess guess"); w.Code != http.StatusUnauthorized {
				t.Fatalf("try %d: %d, want 401", i+1, w.Code)
			}
		}
		sprayer := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "[2001:db8:1:2::ffff]:4001"}
		w := sprayer.login(t, "hanako", "correct horse battery")
		if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "分ほど待ってから") || w.Header().Get("Retry-After") == "" {
			t.Fatalf("after %d failed logins from one /64: %d, Retry-After %q, want 429 saying when", addressLimit.max, w.Code, w.Header().Get("Retry-After"))
		}
		if w := office.login(t, "hanako", "correct horse battery"); w.Code != http.StatusSeeOther {
			t.Fatalf("another address: %d, want it let in", w.Code)
		}
	})
}

// TestLoginLimitOutlivesTheProcess: the count is in the database, so a new handler on the same
// database (a restart, or a second instance) refuses as the first one would.
func TestLoginLimitOutlivesTheProcess(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		addUser(t, b, "hanako", "correct horse battery")
		attacker := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "198.51.100.7:4000"}
		for range loginBurst {
			attacker.login(t, "hanako", "guess guess guess")
		}
		attacker.h = New(Deps{Store: b.st, Mover: b.queue})
		if w := attacker.login(t, "hanako", "correct horse battery"); w.Code != http.StatusTooManyRequests {
			t.Fatalf("after %d failures, on a restarted handler: %d, want 429", loginBurst, w.Code)
		}
	})
}

// TestLoggedInFormsAreCapped: an operator's form over a mebibyte is refused with what to do.
func TestLoggedInFormsAreCapped(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	s := b.loginAs(t, only(user.MenuOrders, user.Update))
	w := s.do(http.MethodPost, "/orders/move", url.Values{"ids": {strings.Repeat("1", formBodyMax)}})
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "送信内容が大きすぎます") ||
		!strings.Contains(w.Body.String(), "一度に選ぶ注文を減らす") {
		t.Fatalf("a form over the cap: %d", w.Code)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// rss is the process's resident set from /proc, where there is one.
func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "RSS unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return "RSS " + strings.TrimSpace(v)
		}
	}
	return "RSS unknown"
}

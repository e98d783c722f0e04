package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAuthorizationScreenStoresTheRefreshTokenAndItsLife: a shop of a channel authorised by an
// OAuth code (its simulator) is sent to the consent screen, comes back with the code, and
// ichigen stores the refresh token it trades it for with the authorisation's expiry; an answer
// from a browser that did not ask is refused.
func TestAuthorizationScreenStoresTheRefreshTokenAndItsLife(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	ctx := context.Background()
	var spec *channel.Spec
	for _, s := range channel.All() {
		if s.Authorization != nil && s.Simulator != nil {
			spec = s
		}
	}
	if spec == nil {
		t.Skip("no channel is authorised by an OAuth code")
	}
	sim := spec.Simulator.New(channel.SimConfig{Seed: 1})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	creds := shop.Credentials(sim.Credentials())
	creds["endpoint"] = ts.URL
	for _, k := range spec.Credentials { // what the consent screen brings is not entered
		if !k.Required && k.Secret {
			delete(creds, k.Name)
		}
	}
	sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(spec.Name), Name: "認可テスト店", Code: "oauth", Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	s := b.loginAs(t, map[user.Menu]user.Level{user.MenuShops: user.Update})
	page := s.do(http.MethodGet, shopPath(sh.ID), nil)
	if !strings.Contains(page.Body.String(), spec.Authorization.Label) {
		t.Fatalf("the shop page has no %q button", spec.Authorization.Label)
	}
	w := s.do(http.MethodPost, shopPath(sh.ID)+"/authorize", url.Values{})
	consent, err := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || err != nil || !strings.HasPrefix(consent.String(), ts.URL) {
		t.Fatalf("authorize: %d → %s", w.Code, w.Header().Get("Location"))
	}
	var state *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == authStateCookie {
			state = c
		}
	}
	if state == nil || state.Value != consent.Query().Get("state") {
		t.Fatalf("state cookie %v, state %q", state, consent.Query().Get("state"))
	}
	// The operator agrees on the consent screen.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"client_id": {consent.Query().Get("client_id")}, "redirect_uri": {consent.Query().Get("redirect_uri")}, "state": {consent.Query().Get("state")}}
	resp, err := noRedirect.PostForm(ts.URL+consent.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	if back.Path != authorizedPath || back.Query().Get("code") == "" {
		t.Fatalf("consent sent the browser to %s", back)
	}
	// From a browser without the state: refused, nothing stored.
	if w := s.do(http.MethodGet, back.RequestURI(), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("answer without the state cookie: %d", w.Code)
	}
	if got, _ := b.st.GetShop(ctx, sh.ID); got.Credentials.Plain()["refreshToken"] != "" {
		t.Fatal("a refresh token stored from an answer without the state")
	}
	r := httptest.NewRequest(http.MethodGet, back.RequestURI(), nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
	r.AddCookie(&http.Cookie{Name: authStateCookie, Value: state.Value})
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != shopPath(sh.ID) {
		t.Fatalf("callback: %d → %s", rec.Code, rec.Header().Get("Location"))
	}
	got, err := b.st.GetShop(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Credentials.Plain()["refreshToken"] == "" {
		t.Fatal("no refresh token stored")
	}
	if left := time.Until(got.CredentialsExpireAt); left < 27*24*time.Hour || left > 29*24*time.Hour {
		t.Errorf("the authorisation expires in %s, want four weeks (the public key is set)", left)
	}
	// The stored credentials work.
	c, err := spec.NewClient(channel.Account{ShopID: got.ID, Credentials: got.Credentials.Plain(), BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fetch(ctx, sim.Now().Add(-time.Hour), sim.Now()); err != nil {
		t.Errorf("a call with the stored authorisation: %v", err)
	}
}

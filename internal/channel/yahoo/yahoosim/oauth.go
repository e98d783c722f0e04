package yahoosim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// authState holds the tokens the simulator has issued. Callers hold s.mu.
type authState struct {
	codes   map[string]*authCode
	access  map[string]*accessToken
	refresh map[string]*refreshToken
}

type authCode struct {
	redirectURI string
	expires     time.Time
}

type accessToken struct {
	refresh string // the refresh token it was issued from
	expires time.Time
}

type refreshToken struct {
	issuedAt time.Time
	revoked  bool
}

func newAuthState() authState {
	return authState{codes: map[string]*authCode{}, access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}}
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checkToken checks a Bearer access token: unknown, expired, or one whose refresh token's
// session has run past its life (twelve hours without the public-key headers: px-04102) is
// refused with HTTP 401 and Yahoo's WWW-Authenticate header.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request, presented string, ok bool) bool {
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	a := s.auth.access[presented]
	var rt *refreshToken
	if a != nil {
		rt = s.auth.refresh[a.refresh]
	}
	s.mu.Unlock()
	invalid := func(desc string) bool {
		v := `Bearer realm="yahooapis.jp", error="invalid_token", error_description="` + desc + `"`
		w.Header().Set("WWW-Authenticate", v)
		answerError(w, http.StatusUnauthorized, "", "Please provide valid credentials. "+v)
		return false
	}
	switch {
	case !ok || presented == "":
		w.Header().Set("WWW-Authenticate", `Bearer realm="yahooapis.jp", error="invalid_request", error_description="no token"`)
		answerError(w, http.StatusUnauthorized, "", "Please provide valid credentials. Bearer realm=\"yahooapis.jp\", error=\"invalid_request\"")
		return false
	case a == nil:
		return invalid("invalid token")
	case !now.Before(a.expires):
		return invalid("expired token")
	case rt == nil || rt.revoked || !now.Before(rt.issuedAt.Add(s.sessionLife(w, r))):
		answerError(w, http.StatusUnauthorized, yahoo.CodeTokenExpired, yahoo.MsgTokenExpired)
		return false
	}
	return true
}

// sessionLife is how long the order APIs accept tokens of one authorisation: four weeks with
// valid public-key headers, twelve hours without. The verdict is answered in
// X-SWS-Authorize-Status, and a failed check changes nothing else (§3a.5).
func (s *Server) sessionLife(w http.ResponseWriter, r *http.Request) time.Duration {
	status := s.checkSignature(r.Header.Get(yahoo.HeaderSignature), r.Header.Get(yahoo.HeaderSignatureVersion))
	w.Header().Set(yahoo.HeaderAuthorizeStatus, status)
	if status == "authorized" {
		return yahoo.RefreshTokenLifetime
	}
	return yahoo.SessionWithoutKey
}

// signatureSkew is how far the signed time may be from the simulator's; Yahoo's is not public.
const signatureSkew = 10 * time.Minute

// checkSignature decrypts X-sws-signature with the store's private key and checks it names the
// seller at about now.
func (s *Server) checkSignature(sig, version string) string {
	switch {
	case sig == "" && version == "":
		return "none"
	case version != storeKeyVersion:
		return "not-found-key-version"
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return "invalid-authorize-value"
	}
	plain, err := rsa.DecryptPKCS1v15(nil, storeKey(), raw)
	if err != nil {
		return "invalid-authorize-value"
	}
	seller, at, ok := strings.Cut(string(plain), ":")
	unix, err := strconv.ParseInt(at, 10, 64)
	switch {
	case !ok || seller != s.cfg.SellerID:
		return "invalid-sellerid"
	case err != nil:
		return "invalid-timestamp"
	}
	// The signed time is the caller's wall clock: compared with real time, not the simulated one.
	if d := time.Since(time.Unix(unix, 0)); d > signatureSkew || d < -signatureSkew {
		return "expired-timestamp"
	}
	return "authorized"
}

// storeKeyVersion is the version of the simulator's store key.
const storeKeyVersion = "1"

var storeKey = sync.OnceValue(func() *rsa.PrivateKey {
	block, _ := pem.Decode([]byte(storeKeyPEM))
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		panic(fmt.Sprintf("yahoosim: the store key: %v", err))
	}
	return k
})

// storePublicKeyPEM is the public half of the simulator's store key, as 暗号鍵管理 shows it.
func storePublicKeyPEM() string {
	der, _ := x509.MarshalPKIXPublicKey(&storeKey().PublicKey)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

var consentPage = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>Yahoo! JAPAN ID連携 (シミュレーター)</title></head>
<body><h1>Yahoo! JAPAN ID連携 (シミュレーター)</h1>
<p>アプリケーション「{{.ClientID}}」がストア「{{.SellerID}}」のストア運営API(注文API)を利用することを許可しますか。</p>
<form method="post"><input type="hidden" name="client_id" value="{{.ClientID}}"><input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="state" value="{{.State}}"><button type="submit" name="consent" value="yes">同意する</button></form></body></html>
`))

// authorizePage is the authorization endpoint's consent screen (GET ?response_type=code&
// client_id=&redirect_uri=&state=).
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != s.cfg.ClientID || !redirectable(q.Get("redirect_uri")) {
		http.Error(w, "invalid_request: response_type=code, a registered client_id and redirect_uri are required", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentPage.Execute(w, map[string]string{"ClientID": s.cfg.ClientID, "SellerID": s.cfg.SellerID,
		"RedirectURI": q.Get("redirect_uri"), "State": q.Get("state")})
}

// authorizeConsent issues an authorization code (ten minutes) and sends the browser back.
func (s *Server) authorizeConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != s.cfg.ClientID || !redirectable(r.PostForm.Get("redirect_uri")) {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	redirect := r.PostForm.Get("redirect_uri")
	code := newToken()
	s.mu.Lock()
	s.pruneLocked()
	s.auth.codes[code] = &authCode{redirectURI: redirect, expires: s.Sim.Clock.Now().Add(10 * time.Minute)}
	s.mu.Unlock()
	u, _ := url.Parse(redirect)
	q := u.Query()
	q.Set("code", code)
	if st := r.PostForm.Get("state"); st != "" {
		q.Set("state", st)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// Authorize issues an authorization code for redirectURI without the consent screen, as if the
// store's operator had agreed: what the screen's form does, for tests and the demo.
func (s *Server) Authorize(redirectURI string) string {
	code := newToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked()
	s.auth.codes[code] = &authCode{redirectURI: redirectURI, expires: s.Sim.Clock.Now().Add(10 * time.Minute)}
	return code
}

func redirectable(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// maxIssued bounds what the simulator keeps of issued codes and tokens: an anonymous caller
// cannot grow it without bound.
const maxIssued = 10_000

// pruneLocked drops expired codes and access tokens, and everything when still over the bound.
func (s *Server) pruneLocked() {
	now := s.Sim.Clock.Now()
	for k, c := range s.auth.codes {
		if !now.Before(c.expires) {
			delete(s.auth.codes, k)
		}
	}
	for k, a := range s.auth.access {
		if !now.Before(a.expires) {
			delete(s.auth.access, k)
		}
	}
	if len(s.auth.codes) > maxIssued {
		s.auth.codes = map[string]*authCode{}
	}
	if len(s.auth.access) > maxIssued {
		s.auth.access = map[string]*accessToken{}
	}
}

// token is the token endpoint: grant_type=authorization_code (code, redirect_uri) or
// refresh_token, the client authenticated with Basic or with client_id and client_secret in
// the body. A refresh answers a new access token and no refresh token (the old one stays).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.Sim.Counters.Operation(yahoo.OpToken)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != s.cfg.ClientID || secret != s.cfg.ClientSecret {
		s.Sim.AuthFailed()
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked()
	var refresh string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c := s.auth.codes[r.PostForm.Get("code")]
		if c == nil || !now.Before(c.expires) || c.redirectURI != r.PostForm.Get("redirect_uri") {
			s.Sim.AuthFailed()
			tokenError(w, http.StatusBadRequest, "invalid_grant", "invalid authorization code")
			return
		}
		delete(s.auth.codes, r.PostForm.Get("code"))
		refresh = newToken()
		if len(s.auth.refresh) > maxIssued {
			s.auth.refresh = map[string]*refreshToken{s.cfg.RefreshToken: s.auth.refresh[s.cfg.RefreshToken]}
		}
		s.auth.refresh[refresh] = &refreshToken{issuedAt: now}
	case "refresh_token":
		refresh = r.PostForm.Get("refresh_token")
		rt := s.auth.refresh[refresh]
		if rt == nil || rt.revoked || !now.Before(rt.issuedAt.Add(yahoo.RefreshTokenLifetime)) {
			s.Sim.AuthFailed()
			tokenError(w, http.StatusBadRequest, "invalid_grant", "invalid refresh token")
			return
		}
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	access := newToken()
	s.auth.access[access] = &accessToken{refresh: refresh, expires: now.Add(s.cfg.AccessLifetime)}
	answer := yahoo.TokenAnswer{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(s.cfg.AccessLifetime / time.Second)}
	if r.PostForm.Get("grant_type") == "authorization_code" {
		answer.RefreshToken = refresh
	}
	w.Header().Set("Cache-Control", "no-store")
	simkit.WriteJSON(w, http.StatusOK, answer)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	simkit.WriteJSON(w, status, yahoo.TokenAnswer{Error: code, ErrorDescription: desc})
}

// RevokeRefreshTokens makes every refresh token fail, as a store that withdrew its consent or
// a refresh token past its life does: the next refresh is refused with invalid_grant.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range s.auth.refresh {
		rt.revoked = true
	}
}

// ExpireAccessTokens makes every access token issued so far expire now.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.Sim.Clock.Now().Add(-time.Second)
	for _, a := range s.auth.access {
		a.expires = past
	}
}

package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// secret is the test channel's API key: it must reach the marketplace and never the history.
const secret = "key-that-must-stay-secret"

// testCap is the test channel's answer cap for every operation.
const testCap = 1 << 20

// recorder keeps the API call history in memory.
type recorder struct {
	mu    sync.Mutex
	calls []channel.Call
}

func (r *recorder) RecordCall(_ context.Context, c channel.Call) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return int64(len(r.calls)), nil
}

func (r *recorder) all() []channel.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]channel.Call(nil), r.calls...)
}

type testBundle struct {
	transport *channel.Transport
	calls     *recorder
	url       string // the marketplace's base URL
}

// setup is a channel of JSON answers whose "write" operation is a write, its marketplace served
// by h. With pipes, the marketplace is served over in-memory connections, which testing/synctest
// sees blocked (it cannot see sockets); otherwise over a socket.
func setup(t *testing.T, h http.Handler, pipes bool) *testBundle {
	t.Helper()
	calls := &recorder{}
	tr := &channel.Transport{Channel: "testshop", Format: "json", Recorder: calls, ShopID: 7,
		Names: channel.Names{API: "テストAPI", Service: "テストモール", Host: "テストモールのサーバー", Record: "注文",
			NoAnswer: "テストモールから応答がありませんでした。反映されたかどうかを注文を再取得して確認します。"},
		Auth:      func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+secret) },
		IsWrite:   func(op string) bool { return op == "write" },
		AnswerCap: func(string) int64 { return testCap },
		Classify:  classify,
	}
	b := &testBundle{transport: tr, calls: calls, url: "http://marketplace.test"}
	if pipes {
		tr.HTTP = pipeClient(t, h)
	} else {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		tr.HTTP, b.url = &http.Client{Timeout: channel.DefaultTimeout}, srv.URL
	}
	return b
}

// classify is the test channel's: a 200 is decoded, a 429 throttled, a 5xx a server error, and
// anything else refused.
func classify(a channel.Answer, out any) *channel.Error {
	switch {
	case a.Status == http.StatusOK:
		if out != nil {
			if err := json.Unmarshal(a.Body, out); err != nil {
				return a.Malformed(err)
			}
		}
		return nil
	case a.Status == http.StatusTooManyRequests:
		return a.Throttled("テストモールの呼び出し回数の上限に達しました。")
	case a.Status >= 500:
		return a.ServerError()
	}
	return &channel.Error{Class: channel.Rejected, Message: "テストモールが受け付けませんでした。"}
}

func (b *testBundle) read(ctx context.Context, out any) error {
	return b.transport.Do(ctx, channel.Request{Op: "read", Method: http.MethodGet, URL: b.url + "/read?page=1", RecordURL: true}, out)
}

func (b *testBundle) write(ctx context.Context, body string) error {
	return b.transport.Do(ctx, channel.Request{Op: "write", Method: http.MethodPost, URL: b.url + "/write", Body: []byte(body),
		ContentType: "application/json"}, nil)
}

// answer writes a JSON answer.
func answer(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, body)
}

// pipeClient serves h over net.Pipe connections and returns a client that dials them.
func pipeClient(t *testing.T, h http.Handler) *http.Client {
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		client, server := net.Pipe()
		select {
		case l.conns <- server:
			return client, nil
		case <-l.done:
			return nil, net.ErrClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = srv.Close()
	})
	return &http.Client{Transport: tr, Timeout: channel.DefaultTimeout}
}

// pipeListener hands the server the far ends of the client's pipes.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

func classOf(t *testing.T, err error) *channel.Error {
	t.Helper()
	var e *channel.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a channel error, got %v", err)
	}
	return e
}

// TestThrottledCallIsRepeatedAfterRetryAfter: a call refused over quota is sent again once the
// wait the marketplace asked for (in seconds or as a date) has passed, a second when it did not
// say; after three repeats the caller sees the refusal.
func TestThrottledCallIsRepeatedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		retryAfter func() string
		refusals   int
		wait       time.Duration // the time the call took
		err        bool
	}{
		{"seconds", func() string { return "7" }, 1, 7 * time.Second, false},
		{"HTTP date", func() string { return time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat) }, 1, 5 * time.Second, false},
		{"not said", func() string { return "" }, 2, 2 * time.Second, false},
		{"refused past the repeats", func() string { return "" }, 4, 3 * time.Second, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				refused := 0
				b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if refused < c.refusals {
						refused++
						if v := c.retryAfter(); v != "" {
							w.Header().Set("Retry-After", v)
						}
						w.WriteHeader(http.StatusTooManyRequests)
						return
					}
					answer(w, `{"n":1}`)
				}), true)
				start := time.Now()
				var out struct{ N int }
				err := b.read(context.Background(), &out)
				if took := time.Since(start); took != c.wait {
					t.Errorf("the call took %v, want %v", took, c.wait)
				}
				calls := b.calls.all()
				if c.err {
					if e := classOf(t, err); e.Class != channel.Transient || e.HTTPStatus != http.StatusTooManyRequests || e.RetryAfter != time.Second {
						t.Errorf("refused past the repeats: %+v", e)
					}
					if len(calls) != 4 {
						t.Errorf("%d calls, want the first and three repeats", len(calls))
					}
					return
				}
				if err != nil || out.N != 1 {
					t.Fatalf("after the wait: %v, %+v", err, out)
				}
				if len(calls) != c.refusals+1 || calls[0].Outcome != channel.OutcomeRetry || calls[len(calls)-1].Outcome != channel.OutcomeOK {
					t.Errorf("history: %+v", calls)
				}
			})
		})
	}
}

// TestWriteThatNeverConnectedIsTransient: a write refused at the connection never reached the
// marketplace, so it is sent again like any failed read, not read back.
func TestWriteThatNeverConnectedIsTransient(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := setup(t, http.NotFoundHandler(), false)
	b.url = "http://" + l.Addr().String()
	_ = l.Close() // nothing listens there now: the connection is refused
	for op, err := range map[string]error{"write": b.write(context.Background(), `{}`), "read": b.read(context.Background(), nil)} {
		if e := classOf(t, err); e.Class != channel.Transient || e.Message != "テストモールのサーバーに接続できませんでした。しばらく待って自動で再試行します。" {
			t.Errorf("%s: %+v", op, e)
		}
	}
}

// TestWriteWithLostAnswerIsUnknownOutcome: a write the marketplace read before the connection
// dropped may have been applied: it is read back, never simply sent again. A read is retried.
func TestWriteWithLostAnswerIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var received []string
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, string(body))
		mu.Unlock()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_ = conn.Close() // hangs up without an answer
	}), false)
	e := classOf(t, b.write(context.Background(), `{"ship":"A-1"}`))
	if e.Class != channel.UnknownOutcome || e.Message != b.transport.Names.NoAnswer {
		t.Errorf("write: %+v", e)
	}
	if e := classOf(t, b.read(context.Background(), nil)); e.Class != channel.Transient {
		t.Errorf("read: %+v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) == 0 || received[0] != `{"ship":"A-1"}` {
		t.Errorf("the marketplace got %q: the write was not sent", received)
	}
}

// TestCallThatTimesOut: a read with no answer within the client's timeout is retried; a write
// is read back.
func TestCallThatTimesOut(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // the server then sees the client hang up
			<-r.Context().Done()               // never answers
		}), true)
		start := time.Now()
		if e := classOf(t, b.read(context.Background(), nil)); e.Class != channel.Transient || time.Since(start) != channel.DefaultTimeout {
			t.Errorf("read after %v: %+v", time.Since(start), e)
		}
		if e := classOf(t, b.write(context.Background(), `{}`)); e.Class != channel.UnknownOutcome {
			t.Errorf("write: %+v", e)
		}
		if calls := b.calls.all(); len(calls) != 2 || calls[0].Duration != channel.DefaultTimeout || calls[1].Outcome != channel.OutcomeUnknown {
			t.Errorf("history: %+v", calls)
		}
	})
}

// TestHistoryHoldsNoCredential: the marketplace gets the channel's Authorization header; the
// history keeps a write's body and a read's URL, or nothing of a request whose URL holds a
// secret, and never a header.
func TestHistoryHoldsNoCredential(t *testing.T) {
	t.Parallel()
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+secret {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		answer(w, `{}`)
	}), false)
	ctx := channel.WithCall(context.Background(), "ship_report", 42)
	if err := b.write(ctx, `{"ship":"A-1"}`); err != nil {
		t.Fatal(err)
	}
	if err := b.read(ctx, nil); err != nil {
		t.Fatal(err)
	}
	hidden := channel.Request{Op: "expiry", Method: http.MethodGet, URL: b.url + "/expiry?key=" + secret}
	if err := b.transport.Do(ctx, hidden, nil); err != nil {
		t.Fatal(err)
	}
	calls := b.calls.all()
	want := []string{`{"ship":"A-1"}`, "GET /read?page=1", ""}
	if len(calls) != len(want) {
		t.Fatalf("%d calls recorded, want %d", len(calls), len(want))
	}
	for i, c := range calls {
		if c.Request != want[i] || strings.Contains(c.Request+c.Response, secret) {
			t.Errorf("%s recorded %q, want %q", c.Operation, c.Request, want[i])
		}
		if c.ShopID != 7 || c.JobKind != "ship_report" || c.OrderID != 42 || c.Outcome != channel.OutcomeOK {
			t.Errorf("%s recorded as %+v", c.Operation, c)
		}
	}
}

// TestAnswerTooLargeIsRefused: an answer over the operation's cap is not held; a read is
// retried, a write (the marketplace answered) read back.
func TestAnswerTooLargeIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(w, `"`+strings.Repeat("x", testCap)+`"`)
	}), false)
	e := classOf(t, b.read(context.Background(), nil))
	if e.Class != channel.Transient || !errors.Is(e, channel.ErrAnswerTooLarge) ||
		e.Message != "テストモールの応答が大きすぎます(この操作の上限 1 MiB)。応答は読み込まずに破棄しました。続く場合はサポートに連携履歴を添えて連絡してください。" {
		t.Errorf("read: %+v", e)
	}
	if e := classOf(t, b.write(context.Background(), `{}`)); e.Class != channel.UnknownOutcome ||
		e.Message != "テストモールの応答が大きすぎます(この操作の上限 1 MiB)。反映されたかどうかを注文を再取得して確認します。" {
		t.Errorf("write: %+v", e)
	}
}

// TestPageInFrontOfTheAPI: a 200 that is no JSON is a page from something in front of the API,
// usually a maintenance page, and says its title; a write that got one is read back.
func TestPageInFrontOfTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<html><title>ただいまメンテナンス中です</title></html>")
	}), false)
	if e := classOf(t, b.read(context.Background(), nil)); e.Class != channel.Transient ||
		e.Message != "テストAPIがJSONではない応答(text/html)「ただいまメンテナンス中です」を返しました。メンテナンス中の可能性があります。自動で再試行します。" {
		t.Errorf("read: %+v", e)
	}
	if e := classOf(t, b.write(context.Background(), `{}`)); e.Class != channel.UnknownOutcome ||
		e.Message != "テストAPIがJSONではない応答(text/html)「ただいまメンテナンス中です」を返しました。反映されたかどうかを注文を再取得して確認します。" {
		t.Errorf("write: %+v", e)
	}
}

// TestServerErrorOnWriteIsUnknownOutcome: a gateway error may come after the write was applied.
func TestServerErrorOnWriteIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }), false)
	if e := classOf(t, b.read(context.Background(), nil)); e.Class != channel.Transient || e.Message != "テストAPIで一時的なエラーが発生しました。自動で再試行します。" {
		t.Errorf("read: %+v", e)
	}
	if e := classOf(t, b.write(context.Background(), `{}`)); e.Class != channel.UnknownOutcome ||
		e.Message != "テストAPIがエラーを返しました(HTTP 502)。反映されたかどうかを注文を再取得して確認します。" || e.Channel != "testshop" || e.Operation != "write" {
		t.Errorf("write: %+v", e)
	}
}

// pacer logs what happens to a call, in order.
type pacer struct {
	mu  sync.Mutex
	log []string
}

func (p *pacer) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, s)
}

func (p *pacer) Wait(context.Context) error { p.add("slot"); return nil }
func (p *pacer) Sent(context.Context)       { p.add("sent") }
func (p *pacer) Throttled()                 { p.add("throttled") }

// TestBeforeSendRunsOnceTheSlotCame: a write journaled before it leaves is marked after its slot
// came and just before it is sent, and sent once: a 429 comes back to the caller, who undoes the
// mark. When the mark fails, nothing is sent.
func TestBeforeSendRunsOnceTheSlotCame(t *testing.T) {
	t.Parallel()
	p := &pacer{}
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}), false)
	b.transport.Pacer = p
	req := channel.Request{Op: "write", Method: http.MethodPost, URL: b.url + "/write", Body: []byte(`{}`),
		BeforeSend: func() error { p.add("mark"); return nil }}
	if e := classOf(t, b.transport.Do(context.Background(), req, nil)); e.HTTPStatus != http.StatusTooManyRequests {
		t.Errorf("sent: %+v", e)
	}
	if got := strings.Join(p.log, " "); got != "slot mark sent throttled" {
		t.Errorf("the call went %q, want the slot, the mark, then the send, once, and the pacer told of the 429", got)
	}
	p.log = nil
	failed := errors.New("journal down")
	req.BeforeSend = func() error { return failed }
	if err := b.transport.Do(context.Background(), req, nil); !errors.Is(err, failed) {
		t.Errorf("a failed mark: %v", err)
	}
	if got := strings.Join(p.log, " "); got != "slot" {
		t.Errorf("with the mark failed the call went %q", got)
	}
}

// slotPacer is a pacer whose wait comes in two steps, and whose claim can be refused.
type slotPacer struct {
	pacer
	claimErr error
}

func (p *slotPacer) Await(context.Context) error { p.add("slot"); return nil }
func (p *slotPacer) Claim(context.Context) error { p.add("claim"); return p.claimErr }
func (p *slotPacer) Wait(ctx context.Context) error {
	_ = p.Await(ctx)
	return p.Claim(ctx)
}

// TestJournalMarkComesBeforeTheClaimWithASlotPacer: with a two-step pacer the write's mark is made
// while the slot comes, so that the claim is followed by the send alone; a claim that fails
// after the mark is a Transient error (channel.Unsent), so the caller undoes the mark of a call
// that never left.
func TestJournalMarkComesBeforeTheClaimWithASlotPacer(t *testing.T) {
	t.Parallel()
	p := &slotPacer{}
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}), false)
	b.transport.Pacer = p
	req := channel.Request{Op: "write", Method: http.MethodPost, URL: b.url + "/write", Body: []byte(`{}`),
		BeforeSend: func() error { p.add("mark"); return nil }}
	_ = b.transport.Do(context.Background(), req, nil)
	if got := strings.Join(p.log, " "); got != "slot mark claim sent" {
		t.Errorf("the call went %q, want the slot, the mark, the claim, then the send", got)
	}
	p.log, p.claimErr = nil, context.DeadlineExceeded
	err := b.transport.Do(context.Background(), req, nil)
	if !channel.Unsent(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a claim refused after the mark: %v, want an error that says nothing was sent", err)
	}
	if got := strings.Join(p.log, " "); got != "slot mark claim" {
		t.Errorf("with the claim refused the call went %q", got)
	}
	// A read (no mark) waits in one go.
	p.log, p.claimErr = nil, nil
	_ = b.transport.Do(context.Background(), channel.Request{Op: "read", Method: http.MethodGet, URL: b.url + "/read"}, nil)
	if got := strings.Join(p.log, " "); got != "slot claim sent" {
		t.Errorf("a read went %q", got)
	}
}

// TestACallIsMarkedSentOnceItsRequestIsWritten: the pacer hears that a call left when its request
// was written, not before the connection is made, so a call that never connected moves nothing
// and a stall before the write does not bring the next call closer at the marketplace.
func TestACallIsMarkedSentOnceItsRequestIsWritten(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pacer{}
	b := setup(t, http.NotFoundHandler(), false)
	b.transport.Pacer = p
	b.url = "http://" + l.Addr().String()
	_ = l.Close() // nothing listens there now: the connection is refused
	_ = b.read(context.Background(), nil)
	if got := strings.Join(p.log, " "); got != "slot" {
		t.Errorf("a call that never connected went %q, want only its slot", got)
	}
}

// answerPacer is a pacer that wants to hear when a call's answer began to come back.
type answerPacer struct {
	pacer
	op              string
	wrote, answered time.Time
	onSent          func()
}

func (p *answerPacer) Sent(ctx context.Context) {
	p.pacer.Sent(ctx)
	if p.onSent != nil {
		p.onSent()
	}
}

func (p *answerPacer) Answered(_ context.Context, op string, wrote, answered time.Time) {
	p.add("answered")
	p.op, p.wrote, p.answered = op, wrote, answered
}

// TestThePacerHearsWhenACallsAnswerCameBack: after the write, the pacer hears the call's
// operation, when it was written and when its answer began to come back (the call reached the
// marketplace between the two), here 30 ms later, as the server held its answer.
func TestThePacerHearsWhenACallsAnswerCameBack(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	p := &answerPacer{}
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusNoContent)
	}), false)
	b.transport.Pacer = p
	p.onSent = func() { time.AfterFunc(30*time.Millisecond, func() { close(release) }) } // the answer held 30 ms from the write
	_ = b.transport.Do(context.Background(), channel.Request{Op: "write", Method: http.MethodPost, URL: b.url + "/write", Body: []byte(`{}`)}, nil)
	if got := strings.Join(p.log, " "); got != "slot sent answered" {
		t.Fatalf("the call went %q, want the slot, the send, then the answer", got)
	}
	if p.op != "write" || p.answered.Sub(p.wrote) < 30*time.Millisecond {
		t.Errorf("the pacer heard %q written at %v and answered %v later, want write and at least 30ms", p.op, p.wrote, p.answered.Sub(p.wrote))
	}
}

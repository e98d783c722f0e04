package channel

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds one call of a client given no http.Client.
const DefaultTimeout = 30 * time.Second

// throttleRetries is how many times a call refused over quota (429) is repeated after waiting,
// before the caller sees the error.
const throttleRetries = 3

// defaultRetryAfter is the wait after a refusal over quota that did not say how long to wait.
const defaultRetryAfter = time.Second

var defaultHTTP = &http.Client{Timeout: DefaultTimeout}

// Names are the Japanese words the transport's messages about a channel are made of, as the
// operator knows them, and the one message whose wording differs between channels.
type Names struct {
	API     string // what answered with an error or a page: 楽天API, au PAY マーケットAPI
	Service string // whose answer was too large or unreadable: 楽天API, au PAY マーケット
	Host    string // what could not be reached: 楽天RMS, au PAY マーケット
	Record  string // what is read back after a write: 注文, 取引
	// NoAnswer is the message for a write sent with no answer back (a timeout, a dropped
	// connection), which is read back before anything is sent again.
	NoAnswer string
}

// Transport makes a channel's HTTP calls: it takes the call's slot from the Pacer, sends with the
// channel's Auth, repeats a call refused over quota after Retry-After, turns the failures every
// marketplace shares into an *Error (no answer, an answer too large, a page in front of the API)
// and hands the rest to the channel's Classify, then records the call in the history. A write
// that may have been applied is UnknownOutcome, never Transient: the caller reads it back
// before sending it again.
type Transport struct {
	Channel string // Error.Channel: rakuten, aupay
	Names   Names
	// Format ends the media type of the API's answers (json, xml); a 200 of another type is a
	// page from something in front of the API, usually a maintenance page.
	Format   string
	HTTP     *http.Client // nil: one with DefaultTimeout
	Pacer    Pacer        // nil: no pacing
	Recorder Recorder     // nil: no history
	ShopID   int64        // ichigen's shop, under which the calls are recorded
	// Auth sets the credentials on a request, in headers only: headers are never recorded.
	Auth func(req *http.Request)
	// IsWrite tells the operations that change an order at the marketplace.
	IsWrite func(op string) bool
	// AnswerCap is the most an operation's answer can legitimately bring (see ReadAnswer).
	AnswerCap func(op string) int64
	// Classify decodes an answer of the API's format into out and returns its failure, nil
	// for a success. The transport fills in the error's Channel, Operation and HTTPStatus.
	Classify func(a Answer, out any) *Error
}

// Request is one call.
type Request struct {
	Op          string
	Method      string
	URL         string
	Body        []byte // nil for a read
	ContentType string
	// RecordURL records a request without a body as "GET <RequestURI>"; left false when the
	// URL holds a secret, so that nothing of the request is recorded.
	RecordURL bool
	// BeforeSend, when set, runs once the call's slot has come, just before the request leaves
	// (a journal mark of a write that must not happen twice); its error stops the call. Such a
	// call is sent once: a 429 comes back to the caller.
	BeforeSend func() error
}

// Answer is what the marketplace sent back, for the channel's Classify.
type Answer struct {
	Op         string
	Write      bool
	Status     int
	Header     http.Header
	Body       []byte
	RetryAfter time.Duration // the answer's Retry-After, 0 when it has none

	t *Transport
}

// Do sends r and reads its answer into out (nil: the answer is only classified). A call
// refused over quota is repeated up to three times after waiting Retry-After. A write made with
// a context from WithMark runs its mark as BeforeSend. Under a Plan (WithPlan) nothing is sent:
// the call is kept in the plan and refused.
func (t *Transport) Do(ctx context.Context, r Request, out any) error {
	if p := planFrom(ctx); p != nil && !p.passes(ctx, t, r) { // a preview: nothing leaves, nothing is recorded, nothing is marked
		return p.hold(ctx, t, r)
	}
	// A call with a BeforeSend of its own is sent once; WriteOnce's mark is made once however
	// often the call is repeated, so its 429s are repeated like any other call's.
	once := r.BeforeSend != nil
	if r.BeforeSend == nil && t.IsWrite(r.Op) {
		r.BeforeSend = MarkFrom(ctx)
	}
	for attempt := 0; ; attempt++ {
		err := t.once(ctx, r, out)
		var e *Error
		if once || attempt >= throttleRetries || !errors.As(err, &e) || e.HTTPStatus != http.StatusTooManyRequests {
			return err
		}
		if Sleep(ctx, e.RetryAfter) != nil {
			return err
		}
	}
}

func (t *Transport) once(ctx context.Context, r Request, out any) error {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return fmt.Errorf("%s: %w", r.Op, err)
	}
	if err := t.pace(ctx, r); err != nil {
		return err
	}
	t.Auth(req)
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if _, marks := t.Pacer.(SentMarker); marks {
		// The call leaves when its request is written: a stall before that (a new connection,
		// a busy machine) must not bring the next call closer at the marketplace. It arrives
		// before its answer comes back: an answer later than usual tells the pacer that the
		// call may have arrived late (AnswerMarker).
		var wrote atomic.Pointer[time.Time] // written and read by the transport's two loops
		answers, _ := t.Pacer.(AnswerMarker)
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) {
				now := time.Now()
				wrote.Store(&now)
				Sent(ctx, t.Pacer)
			},
			GotFirstResponseByte: func() {
				if w := wrote.Load(); answers != nil && w != nil {
					answers.Answered(ctx, r.Op, *w, time.Now())
				}
			}}))
	}
	start := time.Now()
	resp, err := cmp.Or(t.HTTP, defaultHTTP).Do(req)
	a := Answer{Op: r.Op, Write: t.IsWrite(r.Op), t: t}
	if err == nil {
		a.Status, a.Header = resp.StatusCode, resp.Header
		a.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		a.Body, err = ReadAnswer(resp, t.AnswerCap(r.Op))
		resp.Body.Close()
	}
	if a.Status == http.StatusTooManyRequests {
		Throttled(t.Pacer)
	}
	callErr := t.classify(a, err, out)
	request := r.Body
	if r.Body == nil && r.RecordURL {
		request = []byte(r.Method + " " + req.URL.RequestURI())
	}
	t.record(ctx, r.Op, request, a, time.Since(start), callErr)
	if callErr == nil {
		return nil
	}
	return callErr
}

// pace waits for the call's slot and runs the request's BeforeSend. With a SlotPacer the mark is
// made once the slot has come and before the call is claimed, so that the claim is followed by
// the send alone; a claim that fails after the mark is a Transient error, so the caller undoes
// the mark of a call that never left.
func (t *Transport) pace(ctx context.Context, r Request) error {
	slots, twoStep := t.Pacer.(SlotPacer)
	switch {
	case t.Pacer == nil:
	case twoStep && r.BeforeSend != nil:
		if err := slots.Await(ctx); err != nil {
			return fmt.Errorf("%s: %w", r.Op, err)
		}
		if err := r.BeforeSend(); err != nil {
			return err
		}
		if err := slots.Claim(ctx); err != nil {
			return &Error{Class: Transient, Channel: t.Channel, Operation: r.Op, Err: err,
				Message: t.Names.Host + "への送信を始める前に中断しました。送信していないので、次の実行で送ります。"}
		}
		return nil
	default:
		if err := t.Pacer.Wait(ctx); err != nil {
			return fmt.Errorf("%s: %w", r.Op, err)
		}
	}
	if r.BeforeSend != nil {
		return r.BeforeSend()
	}
	return nil
}

// classify turns what the call brought into its error, nil for a success.
func (t *Transport) classify(a Answer, err error, out any) *Error {
	var e *Error
	switch {
	case err != nil:
		e = t.failed(a, err)
	case a.Status == http.StatusOK && t.page(a):
		e = t.pageError(a)
	default:
		e = t.Classify(a, out)
	}
	if e != nil {
		e.Channel, e.Operation, e.HTTPStatus = t.Channel, a.Op, a.Status
	}
	return e
}

// failed is the error of a call that brought no whole answer.
func (t *Transport) failed(a Answer, err error) *Error {
	n := t.Names
	switch {
	case errors.Is(err, ErrAnswerTooLarge):
		// Nothing the marketplace sends for this call is that large: refuse it whole rather
		// than hold it.
		mib := t.AnswerCap(a.Op) >> 20
		if a.Write { // the marketplace answered: the write may have been applied
			return &Error{Class: UnknownOutcome, Err: err,
				Message: fmt.Sprintf("%sの応答が大きすぎます(この操作の上限 %d MiB)。反映されたかどうかを%sを再取得して確認します。", n.Service, mib, n.Record)}
		}
		return &Error{Class: Transient, Err: err,
			Message: fmt.Sprintf("%sの応答が大きすぎます(この操作の上限 %d MiB)。応答は読み込まずに破棄しました。続く場合はサポートに連携履歴を添えて連絡してください。", n.Service, mib)}
	case a.Write && !neverLeft(err):
		// A write whose connection failed after it was sent (a timeout, a reset, a closed
		// connection) may have been applied; only one that never connected surely was not.
		return &Error{Class: UnknownOutcome, Err: err, Message: n.NoAnswer}
	}
	return &Error{Class: Transient, Err: err, Message: n.Host + "に接続できませんでした。しばらく待って自動で再試行します。"}
}

// page reports whether an answer is not of the API's format.
func (t *Transport) page(a Answer) bool {
	mt := MediaType(a.Header)
	return mt != "" && !strings.HasSuffix(mt, t.Format)
}

// pageError is the error of a 200 that is a page from something in front of the API, usually a
// maintenance page: retried, and on a write an unknown outcome.
func (t *Transport) pageError(a Answer) *Error {
	n, mt := t.Names, MediaType(a.Header)
	said := ""
	if title := PageTitle(a.Body); title != "" {
		said = "「" + title + "」"
	}
	e := &Error{Class: Transient, Err: fmt.Errorf("answer of type %s", mt)}
	if a.Write {
		e.Class = UnknownOutcome
		e.Message = fmt.Sprintf("%sが%sではない応答(%s)%sを返しました。反映されたかどうかを%sを再取得して確認します。", n.API, strings.ToUpper(t.Format), mt, said, n.Record)
		return e
	}
	e.Message = fmt.Sprintf("%sが%sではない応答(%s)%sを返しました。メンテナンス中の可能性があります。自動で再試行します。", n.API, strings.ToUpper(t.Format), mt, said)
	return e
}

// neverLeft reports whether a failed call never reached the API (the connection was not made),
// so that a write is known not to have taken effect.
func neverLeft(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return (errors.As(err, &opErr) && opErr.Op == "dial") || errors.As(err, &dnsErr)
}

// Throttled is the error of a call refused over quota: retried after Retry-After, a second when
// the answer did not say.
func (a Answer) Throttled(message string) *Error {
	return &Error{Class: Transient, Message: message, RetryAfter: cmp.Or(a.RetryAfter, defaultRetryAfter)}
}

// ServerError is the error of a 5xx that is no maintenance: retried, and on a write an unknown
// outcome, since a gateway error may come after the write was applied.
func (a Answer) ServerError() *Error {
	n := a.t.Names
	if a.Write {
		return &Error{Class: UnknownOutcome, RetryAfter: a.RetryAfter,
			Message: fmt.Sprintf("%sがエラーを返しました(HTTP %d)。反映されたかどうかを%sを再取得して確認します。", n.API, a.Status, n.Record)}
	}
	return &Error{Class: Transient, RetryAfter: a.RetryAfter, Message: n.API + "で一時的なエラーが発生しました。自動で再試行します。"}
}

// Malformed is the error of an answer that cannot be read (see Transport.Malformed).
func (a Answer) Malformed(err error) *Error { return a.t.Malformed(a.Op, a.Status, err) }

// Malformed is the error of an answer of op that cannot be read, or that lacks what it must
// hold: retried, and on a write an unknown outcome, since the marketplace answered and the write
// may well have been applied. The answer itself is in the history.
func (t *Transport) Malformed(op string, status int, err error) *Error {
	class := Transient
	if t.IsWrite(op) {
		class = UnknownOutcome
	}
	return &Error{Channel: t.Channel, Operation: op, HTTPStatus: status, Class: class, Err: err,
		Message: t.Names.Service + "の応答を解釈できませんでした。応答は連携履歴に残してあります。続く場合はサポートに連携履歴を添えて連絡してください。"}
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// record writes the call into the history: the request as the channel chose (a body, or a
// read's URL), never a header, so no credential set by Auth.
func (t *Transport) record(ctx context.Context, op string, request []byte, a Answer, d time.Duration, err *Error) {
	if t.Recorder == nil {
		return
	}
	jobKind, orderID := CallFrom(ctx)
	call := Call{ShopID: t.ShopID, OrderID: orderID, JobKind: jobKind, Operation: op, Outcome: OutcomeOK,
		HTTPStatus: a.Status, Duration: d, Request: TruncateBytes(request), Response: TruncateBytes(a.Body)}
	if err != nil {
		call.Outcome, call.ErrorCode, call.ErrorMessage = err.Class.Outcome(), err.Code, err.Message
	}
	// The history is written even when the job's context has ended: a call made must be shown.
	_, _ = t.Recorder.RecordCall(context.WithoutCancel(ctx), call)
}

package ownshopsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
)

// The cart posting its orders to ichigen, as a real cart does (issue 16: "the demo gets a small
// cart that … posts its orders to ichigen"): each new order is sent, signed with the cart
// secret over the body (ownshop.Sign), to ichigen's intake (POST
// /api/v1/ownshop/shops/{id}/orders). An order ichigen did not take (network error, 5xx, 429) is
// kept and sent again with the next orders, oldest first; the feed keeps serving every order.

// maxPending bounds the orders kept for a later attempt; older ones are left to the feed.
const maxPending = 1_000

// pushTimeout bounds one post.
const pushTimeout = 10 * time.Second

// PushTo has the cart post each new order to url (ichigen's intake for the shop); "" stops it.
func (s *Server) PushTo(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushURL = url
	if s.pushClient == nil {
		s.pushClient = &http.Client{Timeout: pushTimeout}
	}
}

// PushStats are what the cart's posts came to: orders ichigen took, and orders waiting for
// another attempt.
type PushStats struct {
	Sent, Pending int
}

// Pushed reports the cart's posts so far.
func (s *Server) Pushed() PushStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return PushStats{Sent: s.pushed, Pending: len(s.pending)}
}

// push posts the waiting orders and the new ones, in order, stopping at the first ichigen did
// not take (it and those after it wait for the next time).
func (s *Server) push(fresh []ownshop.CartOrder) {
	s.mu.Lock()
	url, client := s.pushURL, s.pushClient
	if url == "" {
		s.mu.Unlock()
		return
	}
	queue := append(s.pending, fresh...)
	s.pending = nil
	s.mu.Unlock()
	sent := 0
	for _, o := range queue {
		if err := s.post(client, url, o); err != nil {
			slog.Warn("ownshop simulator: ichigen did not take a cart order; sending it again with the next ones", "order", o.Number, "error", err)
			break
		}
		sent++
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushed += sent
	s.pending = append(queue[sent:len(queue):len(queue)], s.pending...)
	if n := len(s.pending); n > maxPending {
		s.pending = s.pending[n-maxPending:]
	}
}

// post sends one order; a 4xx but 429 is the order's fault and is not sent again.
func (s *Server) post(client *http.Client, url string, o ownshop.CartOrder) error {
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(ownshop.SignatureHeader, ownshop.Sign(s.secret, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("ichigen answered %d: %s", resp.StatusCode, msg)
	default:
		slog.Error("ownshop simulator: ichigen refused a cart order", "order", o.Number, "status", resp.StatusCode, "answer", string(msg))
		return nil
	}
}

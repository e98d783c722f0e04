package amazonsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
)

// lwaToken is Login with Amazon's token exchange: a refresh token (JSON body as the official
// clients send, or a form) for an access token of an hour.
func (s *Server) lwaToken(w http.ResponseWriter, r *http.Request) {
	var req amazon.LWARequest
	body := http.MaxBytesReader(w, r.Body, 64<<10)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			lwaRefuse(w, http.StatusBadRequest, "invalid_request", "The request body is malformed.")
			return
		}
		req = amazon.LWARequest{GrantType: r.PostForm.Get("grant_type"), RefreshToken: r.PostForm.Get("refresh_token"),
			ClientID: r.PostForm.Get("client_id"), ClientSecret: r.PostForm.Get("client_secret")}
	} else if err := json.NewDecoder(body).Decode(&req); err != nil {
		lwaRefuse(w, http.StatusBadRequest, "invalid_request", "The request body is malformed.")
		return
	}
	s.Sim.Counters.Operation(amazon.OpLWA)
	switch {
	case req.GrantType != "refresh_token":
		lwaRefuse(w, http.StatusBadRequest, "unsupported_grant_type", "The grant type is not supported.")
	case req.ClientID != s.cfg.ClientID || req.ClientSecret != s.cfg.ClientSecret:
		s.Sim.AuthFailed()
		lwaRefuse(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
	case !s.refresh.Valid(req.RefreshToken):
		s.Sim.AuthFailed()
		lwaRefuse(w, http.StatusBadRequest, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
	default:
		exp := s.Sim.Clock.Now().Add(AccessTokenLifetime).Unix()
		writeJSON(w, http.StatusOK, amazon.LWAResponse{AccessToken: s.issue("Atza|", token{Kind: "a", Expires: exp}),
			RefreshToken: req.RefreshToken, TokenType: "bearer", ExpiresIn: int(AccessTokenLifetime / time.Second)})
	}
}

func lwaRefuse(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, amazon.LWAError{Error: code, ErrorDescription: description})
}

// restricted are the resources an RDT may open: the Orders API's PII, by path pattern.
var restricted = map[string][]string{
	amazon.PathOrders:     {"buyerInfo", "shippingAddress"},
	amazon.PathOrder:      {"buyerInfo", "shippingAddress"},
	amazon.PathOrderItems: {"buyerInfo"},
	amazon.PathAddress:    nil,
	amazon.PathBuyerInfo:  nil,
}

// maxRestrictedResources bounds one RDT (the simulator's choice; the model gives no number).
const maxRestrictedResources = 50

// createRDT issues a Restricted Data Token for restricted resources, asked with an access token.
func (s *Server) createRDT(w http.ResponseWriter, r *http.Request, c caller) {
	if c.rdt != nil {
		writeErrors(w, http.StatusForbidden, amazon.CodeUnauthorized, "Access to requested resource is denied.", "A Restricted Data Token cannot create another.")
		return
	}
	var req amazon.CreateRestrictedDataTokenRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		invalid(w, "Invalid request body: "+err.Error())
		return
	}
	if len(req.RestrictedResources) == 0 || len(req.RestrictedResources) > maxRestrictedResources {
		invalid(w, fmt.Sprintf("restrictedResources must hold 1 to %d resources.", maxRestrictedResources))
		return
	}
	for _, res := range req.RestrictedResources {
		pattern := patternOf(res.Path)
		elements, ok := restricted[pattern]
		if res.Method != http.MethodGet || !ok {
			invalid(w, fmt.Sprintf("%s %s is not a restricted resource.", res.Method, res.Path))
			return
		}
		for _, e := range res.DataElements {
			if !slices.Contains(elements, e) {
				invalid(w, fmt.Sprintf("dataElements %q is not valid for %s.", e, res.Path))
				return
			}
		}
	}
	exp := s.Sim.Clock.Now().Add(AccessTokenLifetime).Unix()
	writeJSON(w, http.StatusOK, amazon.CreateRestrictedDataTokenResponse{
		RestrictedDataToken: s.issue("Atz.sprdt|", token{Kind: "r", Expires: exp, Resources: req.RestrictedResources}), ExpiresIn: int(AccessTokenLifetime / time.Second)})
}

// patternOf turns /orders/v0/orders/503-…/address into /orders/v0/orders/{orderId}/address.
func patternOf(path string) string {
	rest, ok := strings.CutPrefix(path, amazon.PathOrders+"/")
	if !ok {
		return path
	}
	_, tail, _ := strings.Cut(rest, "/")
	if tail == "" {
		return amazon.PathOrder
	}
	return amazon.PathOrder + "/" + tail
}

// maxPage is getOrders' MaxResultsPerPage limit and default.
const maxPage = 100

// ordersQuery is a getOrders search, carried inside its NextToken.
type ordersQuery struct {
	CreatedAfter, CreatedBefore, UpdatedAfter, UpdatedBefore time.Time
	Statuses, Channels, Payments, IDs                        []string
	PageSize, Offset                                         int
}

// getOrders answers a search, or the next page of one.
func (s *Server) getOrders(w http.ResponseWriter, r *http.Request, c caller) {
	q := r.URL.Query()
	if ids := list(q, "MarketplaceIds"); len(ids) == 0 {
		invalid(w, "MarketplaceIds is required.")
		return
	} else if !slices.Contains(ids, amazon.MarketplaceJP) {
		invalid(w, "Invalid MarketplaceIds: the simulator serves "+amazon.MarketplaceJP+" (Amazon.co.jp) only.")
		return
	}
	var query ordersQuery
	if next := q.Get("NextToken"); next != "" {
		var ok bool
		if query, ok = s.readNextToken(next); !ok {
			invalid(w, "Invalid NextToken.")
			return
		}
	} else {
		var msg string
		if query, msg = s.parseOrdersQuery(q); msg != "" {
			invalid(w, msg)
			return
		}
	}
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	for _, o := range s.orders {
		s.advance(o, now)
	}
	hits := s.sorted(func(o *simOrder) bool { return query.matches(o) })
	end := min(query.Offset+query.PageSize, len(hits))
	page := make([]amazon.Order, 0, max(end-query.Offset, 0))
	for _, o := range hits[min(query.Offset, len(hits)):end] {
		page = append(page, o.view(c, amazon.PathOrders, amazon.PathOrders))
	}
	s.mu.Unlock()
	payload := amazon.OrdersList{Orders: page}
	if end < len(hits) {
		next := query
		next.Offset = end
		payload.NextToken = s.nextToken(next)
	}
	if !query.CreatedAfter.IsZero() {
		payload.CreatedBefore = amazon.FormatTime(orNow(query.CreatedBefore, now.Add(-2*time.Minute)))
	} else {
		payload.LastUpdatedBefore = amazon.FormatTime(orNow(query.UpdatedBefore, now.Add(-2*time.Minute)))
	}
	writeJSON(w, http.StatusOK, amazon.Response[amazon.OrdersList]{Payload: &payload})
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// list reads an array parameter: comma-separated (the model's csv) or repeated.
func list(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

var (
	allStatuses = []string{amazon.StatusPendingAvailability, amazon.StatusPending, amazon.StatusUnshipped, amazon.StatusPartiallyShipped,
		amazon.StatusShipped, amazon.StatusInvoiceUnconfirmed, amazon.StatusCanceled, amazon.StatusUnfulfillable}
	allChannels = []string{amazon.FulfillmentMFN, amazon.FulfillmentAFN}
	allPayments = []string{amazon.PaymentCOD, amazon.PaymentCVS, amazon.PaymentOther}
)

// parseOrdersQuery reads a first getOrders request, or says what is wrong with it in the API's
// words.
func (s *Server) parseOrdersQuery(q url.Values) (ordersQuery, string) {
	var query ordersQuery
	now := s.Sim.Clock.Now()
	times := map[string]*time.Time{"CreatedAfter": &query.CreatedAfter, "CreatedBefore": &query.CreatedBefore,
		"LastUpdatedAfter": &query.UpdatedAfter, "LastUpdatedBefore": &query.UpdatedBefore}
	for name, dst := range times {
		v := q.Get(name)
		if v == "" {
			continue
		}
		t, err := amazon.ParseTime(v)
		if err != nil {
			return query, fmt.Sprintf("Invalid %s: %q is not an ISO 8601 date-time.", name, v)
		}
		*dst = t
	}
	query.IDs = list(q, "AmazonOrderIds")
	switch {
	case len(query.IDs) > 50:
		return query, "AmazonOrderIds accepts at most 50 values."
	case len(query.IDs) == 0 && query.CreatedAfter.IsZero() && query.UpdatedAfter.IsZero():
		return query, "Either CreatedAfter or LastUpdatedAfter is required."
	case !query.CreatedAfter.IsZero() && (!query.UpdatedAfter.IsZero() || !query.UpdatedBefore.IsZero()):
		return query, "LastUpdatedAfter and LastUpdatedBefore cannot be set when CreatedAfter is set."
	case !query.UpdatedAfter.IsZero() && !query.CreatedBefore.IsZero():
		return query, "CreatedBefore cannot be set when LastUpdatedAfter is set."
	case !query.CreatedBefore.IsZero() && (query.CreatedBefore.Before(query.CreatedAfter) || query.CreatedBefore.After(now.Add(-2*time.Minute))):
		return query, "CreatedBefore must be equal to or after CreatedAfter and at least two minutes before the current time."
	case !query.UpdatedBefore.IsZero() && (query.UpdatedBefore.Before(query.UpdatedAfter) || query.UpdatedBefore.After(now.Add(-2*time.Minute))):
		return query, "LastUpdatedBefore must be equal to or after LastUpdatedAfter and at least two minutes before the current time."
	}
	for _, f := range []struct {
		name  string
		dst   *[]string
		valid []string
	}{{"OrderStatuses", &query.Statuses, allStatuses}, {"FulfillmentChannels", &query.Channels, allChannels}, {"PaymentMethods", &query.Payments, allPayments}} {
		*f.dst = list(q, f.name)
		for _, v := range *f.dst {
			if !slices.Contains(f.valid, v) {
				return query, fmt.Sprintf("Invalid %s value %q.", f.name, v)
			}
		}
	}
	query.PageSize = maxPage
	if v := q.Get("MaxResultsPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPage {
			return query, "MaxResultsPerPage must be 1 - 100."
		}
		query.PageSize = n
	}
	return query, ""
}

func (q ordersQuery) matches(o *simOrder) bool {
	in := func(t, after, before time.Time) bool {
		return (after.IsZero() || !t.Before(after)) && (before.IsZero() || !t.After(before))
	}
	return (len(q.IDs) == 0 || slices.Contains(q.IDs, o.order.AmazonOrderId)) &&
		in(o.purchased, q.CreatedAfter, q.CreatedBefore) && in(o.updated, q.UpdatedAfter, q.UpdatedBefore) &&
		(len(q.Statuses) == 0 || slices.Contains(q.Statuses, o.order.OrderStatus)) &&
		(len(q.Channels) == 0 || slices.Contains(q.Channels, o.order.FulfillmentChannel)) &&
		(len(q.Payments) == 0 || slices.Contains(q.Payments, o.order.PaymentMethod))
}

// nextToken signs a search and its offset, so that the simulator keeps nothing between pages.
func (s *Server) nextToken(q ordersQuery) string {
	body, _ := json.Marshal(q)
	p := base64.RawURLEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte("next:" + p))
	return p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (s *Server) readNextToken(v string) (ordersQuery, bool) {
	var q ordersQuery
	p, sig, ok := strings.Cut(v, ".")
	if !ok {
		return q, false
	}
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte("next:" + p))
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return q, false
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	return q, err == nil && json.Unmarshal(body, &q) == nil
}

// lookup finds the order of the request's path, advanced to now, answering 404 when there is
// none. It returns with s.mu held when found.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (*simOrder, bool) {
	id := r.PathValue("orderId")
	s.mu.Lock()
	o, ok := s.orders[id]
	if !ok {
		s.mu.Unlock()
		writeErrors(w, http.StatusNotFound, amazon.CodeNotFound, "Order "+id+" not found.", "")
		return nil, false
	}
	s.advance(o, s.Sim.Clock.Now())
	return o, true
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request, c caller) {
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	v := o.view(c, r.URL.Path, amazon.PathOrder)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, amazon.Response[amazon.Order]{Payload: &v})
}

func (s *Server) getOrderItems(w http.ResponseWriter, r *http.Request, c caller) {
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	payload := amazon.OrderItemsList{AmazonOrderId: o.order.AmazonOrderId, OrderItems: o.itemsView()}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, amazon.Response[amazon.OrderItemsList]{Payload: &payload})
}

// denied is the 403 of a restricted operation asked without an RDT naming it.
func denied(w http.ResponseWriter) {
	writeErrors(w, http.StatusForbidden, amazon.CodeUnauthorized, "Access to requested resource is denied.",
		"This operation returns restricted data: call it with a Restricted Data Token (createRestrictedDataToken).")
}

func (s *Server) getOrderAddress(w http.ResponseWriter, r *http.Request, c caller) {
	if !c.opens(r.URL.Path, amazon.PathAddress, "") {
		denied(w)
		return
	}
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	payload := amazon.OrderAddress{AmazonOrderId: o.order.AmazonOrderId}
	if o.order.OrderStatus != amazon.StatusPending {
		a := o.address
		payload.ShippingAddress = &a
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, amazon.Response[amazon.OrderAddress]{Payload: &payload})
}

func (s *Server) getOrderBuyerInfo(w http.ResponseWriter, r *http.Request, c caller) {
	if !c.opens(r.URL.Path, amazon.PathBuyerInfo, "") {
		denied(w)
		return
	}
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	payload := amazon.OrderBuyerInfo{AmazonOrderId: o.order.AmazonOrderId}
	if o.order.OrderStatus != amazon.StatusPending {
		payload.BuyerEmail, payload.BuyerName = o.buyer.BuyerEmail, o.buyer.BuyerName
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, amazon.Response[amazon.OrderBuyerInfo]{Payload: &payload})
}

// confirmShipment confirms one package of an order: 204, or 400 InvalidInput saying why, 404
// for an order Amazon does not have.
func (s *Server) confirmShipment(w http.ResponseWriter, r *http.Request, _ caller) {
	id := r.PathValue("orderId")
	s.Sim.Counters.WriteRequest(id)
	var req amazon.ConfirmShipmentRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		invalid(w, "Invalid Input")
		return
	}
	p := req.PackageDetail
	if msg := checkPackage(req); msg != "" {
		invalid(w, msg)
		return
	}
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	msg, duplicate := s.applyPackage(o, p)
	s.mu.Unlock()
	if duplicate {
		s.Sim.Counters.Write(id, true)
	}
	if msg != "" {
		invalid(w, msg)
		return
	}
	s.Sim.Counters.Write(id, false)
	s.Sim.HangAfterWrite(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// checkPackage checks a request on its own, before the order is looked at.
func checkPackage(req amazon.ConfirmShipmentRequest) string {
	p := req.PackageDetail
	switch {
	case req.MarketplaceId != amazon.MarketplaceJP:
		return "Invalid Input: marketplaceId must be " + amazon.MarketplaceJP + "."
	case p.PackageReferenceId == "" || p.CarrierCode == "" || p.TrackingNumber == "" || p.ShipDate == "" || len(p.OrderItems) == 0:
		return "Invalid Input: packageReferenceId, carrierCode, trackingNumber, shipDate and orderItems are required."
	case p.CarrierCode == "Other" && p.CarrierName == "":
		return "Invalid Input: carrierName is required when carrierCode is Other."
	case req.CodCollectionMethod != "" && req.CodCollectionMethod != "DirectPayment":
		return "Invalid Input: codCollectionMethod must be DirectPayment."
	}
	if _, err := amazon.ParseTime(p.ShipDate); err != nil {
		return "Invalid Input: shipDate must be an ISO 8601 date-time."
	}
	return ""
}

// applyPackage ships the package's items, or says why not. A package already confirmed under
// its packageReferenceId is a duplicate. Callers hold s.mu.
func (s *Server) applyPackage(o *simOrder, p amazon.PackageDetail) (msg string, duplicate bool) {
	switch {
	case o.order.FulfillmentChannel == amazon.FulfillmentAFN:
		return "Invalid Input: the order is fulfilled by Amazon and cannot be confirmed by the seller.", false
	case o.order.OrderStatus == amazon.StatusCanceled:
		return "Invalid Input: the order has been canceled.", false
	case o.order.OrderStatus == amazon.StatusPending:
		return "Invalid Input: the order is pending payment authorization and cannot be shipped yet.", false
	}
	if _, dup := o.packages[p.PackageReferenceId]; dup {
		return "Invalid Input: packageReferenceId " + p.PackageReferenceId + " has already been confirmed for this order.", true
	}
	want := map[string]int{}
	for _, it := range p.OrderItems {
		want[it.OrderItemId] += it.Quantity
	}
	for itemID, q := range want {
		i := slices.IndexFunc(o.items, func(it amazon.OrderItem) bool { return it.OrderItemId == itemID })
		if i < 0 {
			return "Invalid Input: orderItemId " + itemID + " is not an item of this order.", false
		}
		if left := o.items[i].QuantityOrdered - *o.items[i].QuantityShipped; q < 1 || q > left {
			return fmt.Sprintf("Invalid Input: quantity %d of orderItemId %s exceeds the %d left to ship.", q, itemID, left), false
		}
	}
	for itemID, q := range want {
		i := slices.IndexFunc(o.items, func(it amazon.OrderItem) bool { return it.OrderItemId == itemID })
		o.items[i].QuantityShipped = intPtr(*o.items[i].QuantityShipped + q)
	}
	o.packages[p.PackageReferenceId] = p
	o.counts()
	status := amazon.StatusShipped
	if *o.order.NumberOfItemsUnshipped > 0 {
		status = amazon.StatusPartiallyShipped
	}
	o.setStatus(status, s.Sim.Clock.Now())
	return "", false
}

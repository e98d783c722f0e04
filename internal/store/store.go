// Package store is ichigen's persistence: one interface, with an adapter per database engine
// (sqlitestore, pgstore) that both pass the conformance suite in storetest.
package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The engine names.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// Store is everything ichigen keeps. Methods that change orders are also on Tx, so a caller can
// combine them with a job enqueue in one transaction.
type Store interface {
	OrderWriter
	BulkBatches
	SavedSearches
	CartMembers

	// MaskBuyerData removes the personal data of up to limit of a shop's orders shipped,
	// completed or cancelled at the marketplace before a time (by its last update): the buyer's
	// name (MaskedName), kana, e-mail, phone and address, the recipients' in every package, and
	// the address and text of the mails sent about them; each order gets a line in its history.
	// It returns how many orders it masked; an order masked already is not counted again.
	MaskBuyerData(ctx context.Context, shopID int64, before time.Time, limit int, actor string) (int, error)

	// Engine names the database engine: EngineSQLite or EnginePostgres.
	Engine() string
	// DB is the writer pool; River's driver uses it so that jobs enqueue in the store's
	// transactions.
	DB() *sql.DB
	// ReadDB is the reader pool (the writer pool on PostgreSQL): reads that must not wait
	// behind a long write, like the health check, use it.
	ReadDB() *sql.DB
	// Ping checks the database through the reader pool.
	Ping(ctx context.Context) error
	Close() error
	// InTx runs fn in one transaction, committed when fn returns nil and rolled back otherwise.
	InTx(ctx context.Context, fn func(tx Tx) error) error

	CreateShop(ctx context.Context, s shop.Shop) (shop.Shop, error)
	GetShop(ctx context.Context, id int64) (shop.Shop, error)
	ListShops(ctx context.Context) ([]shop.Shop, error)
	UpdateShop(ctx context.Context, s shop.Shop) error
	SetShopCredentials(ctx context.Context, shopID int64, creds shop.Credentials, expireAt time.Time) error
	SetShopStatus(ctx context.Context, shopID int64, status shop.Status, message string) error
	// SetCredentialsExpiry records when the marketplace says the credentials expire.
	SetCredentialsExpiry(ctx context.Context, shopID int64, expireAt time.Time) error
	// MarkAuthError puts the shop in auth error and reports whether this call did (false when it
	// already was), so that one refusal e-mails once.
	MarkAuthError(ctx context.Context, shopID int64, message string) (bool, error)
	// SaveChannelToken keeps a shop's short-lived access token, sealed like its credentials, with
	// its expiry: every instance uses it until then. An empty token deletes it.
	SaveChannelToken(ctx context.Context, shopID int64, token string, expiresAt time.Time) error
	// ChannelToken returns a shop's kept access token and its expiry; none is apperror.NotFound.
	ChannelToken(ctx context.Context, shopID int64) (string, time.Time, error)
	// ReserveCall takes the next call slot of a credential, every apart from the one before,
	// and says how long to wait for it. On PostgreSQL the slots are shared by every instance
	// and counted on the database's clock. key must not be a secret itself.
	ReserveCall(ctx context.Context, key string, every time.Duration) (time.Duration, error)
	// TakeToken takes a token of the bucket key (a rate of one token every interval, up to burst
	// tokens saved) and says how long to wait before the call may leave. On PostgreSQL the bucket
	// is shared by every instance, so that together they never exceed the burst. key must not be
	// a secret itself.
	TakeToken(ctx context.Context, key string, every time.Duration, burst int) (time.Duration, error)
	// ClaimCall claims a credential's call just before it is sent: it answers 0 when the last
	// claimed call of key is at least floor ago (this call is now the last), else how long to wait
	// before claiming again. A caller that woke late for its reserved slot thus pushes the calls
	// after it, whichever instance makes them, so that none leaves closer than floor to it.
	ClaimCall(ctx context.Context, key string, floor time.Duration) (time.Duration, error)
	// MarkCallSent notes that a claimed call of key left at: should it leave later than it was
	// claimed, the next claim keeps its distance from at.
	MarkCallSent(ctx context.Context, key string, at time.Time) error

	// ShopSender returns a shop's ご依頼主 for carrier labels (出荷設定); the zero Sender when none
	// is saved.
	ShopSender(ctx context.Context, shopID int64) (shop.Sender, error)
	// SetShopSender saves a shop's ご依頼主, replacing the one saved.
	SetShopSender(ctx context.Context, shopID int64, s shop.Sender, actor string) error
	// ShopLogo returns the logo a shop's 納品書 print; apperror.NotFound when none is saved.
	ShopLogo(ctx context.Context, shopID int64) (shop.Logo, error)
	// SetShopLogo saves a shop's logo (checked by shop.CheckLogo), replacing the one saved.
	SetShopLogo(ctx context.Context, shopID int64, l shop.Logo, actor string) error
	// DeleteShopLogo removes a shop's logo; none saved is no error.
	DeleteShopLogo(ctx context.Context, shopID int64, actor string) error
	// ShopSetting reads a shop's setting saved under name (JSON) into v and says whether one is
	// saved: what a channel without an API keeps per shop (the CSV shop's column mapping).
	ShopSetting(ctx context.Context, shopID int64, name string, v any) (bool, error)
	// SetShopSetting saves a shop's setting under name, replacing the one saved.
	SetShopSetting(ctx context.Context, shopID int64, name string, v any, actor string) error

	// ListPhases lists the company's phases in order; they are every shop's (seed 000).
	ListPhases(ctx context.Context) ([]workflow.Phase, error)
	CreatePhase(ctx context.Context, name string) (workflow.Phase, error)
	RenamePhase(ctx context.Context, phaseID int64, name string) error
	// SetPhaseExpectedHours sets how long an order should stay in the phase (0: no limit).
	SetPhaseExpectedHours(ctx context.Context, phaseID, hours int64) error
	// ReorderPhases sets the phase order to ids, which must name all of the phases.
	ReorderPhases(ctx context.Context, ids []int64) error
	// DeletePhase deletes a phase that no order of any shop is in, no shop's rule uses, and
	// that is not the first (imports put new orders there); otherwise apperror.Conflict says
	// every reason and what to do. Order histories keep showing its name.
	DeletePhase(ctx context.Context, phaseID int64) error

	// SaveRule creates a rule (ID 0) or updates one; a second job kind of the same shop on one
	// target phase is refused (another shop's rule may share it).
	SaveRule(ctx context.Context, r workflow.Rule) (workflow.Rule, error)
	ListRules(ctx context.Context, shopID int64) ([]workflow.Rule, error)
	SetRuleEnabled(ctx context.Context, ruleID int64, enabled bool) error
	GetRule(ctx context.Context, ruleID int64) (workflow.Rule, error)
	// ListAllRules lists every shop's rules.
	ListAllRules(ctx context.Context) ([]workflow.Rule, error)
	// RuleTargeting returns the shop's rule whose target phase is phaseID, and whether there is
	// one.
	RuleTargeting(ctx context.Context, shopID, phaseID int64) (workflow.Rule, bool, error)
	// RulesTargeting returns every shop's rule whose target phase is phaseID, at most one per
	// shop.
	RulesTargeting(ctx context.Context, phaseID int64) ([]workflow.Rule, error)
	// DueRules returns the started rules of the given kinds whose next run has come.
	DueRules(ctx context.Context, kinds []workflow.JobKind, now time.Time) ([]workflow.Rule, error)
	// MarkRuleRun records a rule's last run (for import, the end of the window it covered) and
	// when it runs next; a zero time leaves the column empty.
	MarkRuleRun(ctx context.Context, ruleID int64, lastRunAt, nextRunAt time.Time) error
	// MarkRuleSucceeded records when a polling rule's run last succeeded (Rule.LastSuccessAt).
	MarkRuleSucceeded(ctx context.Context, ruleID int64, at time.Time) error

	GetOrder(ctx context.Context, id int64) (order.Order, error)
	// GetOrders reads orders with their lines and shipments, as GetOrder does, in the order of
	// ids and in three statements whatever their number (at most MaxPageSize ids); an id with
	// no order is left out.
	GetOrders(ctx context.Context, ids []int64) ([]order.Order, error)
	GetOrderByNumber(ctx context.Context, shopID int64, number string) (order.Order, error)
	SearchOrders(ctx context.Context, q OrderQuery) (OrderPage, error)
	// OrderIDs returns the ids of the orders q finds, in q's order, at most limit of them: the
	// "select every result" of the order list.
	OrderIDs(ctx context.Context, q OrderQuery, limit int) ([]int64, error)
	// OrdersByIDs reads orders without lines or shipments, in the order of ids; an id with no
	// order is left out. Any number of ids: they are read a page at a time.
	OrdersByIDs(ctx context.Context, ids []int64) ([]order.Order, error)
	// OrderStates reads what a bulk operation's preview counts of each order (shop, phase,
	// marketplace and link status), in no particular order; an id with no order is left out.
	// Any number of ids.
	OrderStates(ctx context.Context, ids []int64) ([]OrderState, error)
	// CountOrdersByPhase counts the orders q finds per phase id and shop id, ignoring
	// q.PhaseID, each up to CountCap+1: the order list's side bar, every shop's orders in each
	// phase with the count of each shop.
	CountOrdersByPhase(ctx context.Context, q OrderQuery) (PhaseCounts, error)
	// LinkErrorGroups groups the orders whose link status is an error
	// (workflow.LinkStatus.IsError) by shop, link status and link message, most orders first:
	// the 要対応 page's 「発送完了報告エラー — 「…」 — 23件」. At most MaxLinkErrorGroups+1
	// groups per shop: one more than MaxLinkErrorGroups means the shop has more.
	LinkErrorGroups(ctx context.Context, q LinkErrorQuery) ([]LinkErrorGroup, error)
	ListOrderEvents(ctx context.Context, orderID int64) ([]order.Event, error)

	CreateGroup(ctx context.Context, g user.Group) (user.Group, error)
	GetGroup(ctx context.Context, id int64) (user.Group, error)
	ListGroups(ctx context.Context) ([]user.Group, error)
	CreateUser(ctx context.Context, u user.User) (user.User, error)
	GetUser(ctx context.Context, id int64) (user.User, error)
	GetUserByLogin(ctx context.Context, login string) (user.User, error)
	ListUsers(ctx context.Context) ([]user.User, error)
	// UpdateGroup changes a group's name and its level per menu.
	UpdateGroup(ctx context.Context, g user.Group) error
	// UpdateUser changes a user's name, e-mail and group.
	UpdateUser(ctx context.Context, u user.User) error
	// SetUserDisabled disables a user, ending their sessions, or enables them again.
	SetUserDisabled(ctx context.Context, userID int64, disabled bool) error
	// SetPassword replaces a user's password hash and ends all of their sessions in the same
	// transaction, so that no browser stays logged in on the old password. API tokens stay.
	SetPassword(ctx context.Context, userID int64, hash string) error
	// SetUserPageSize keeps the order list's page size a user chose (user.User.PageSize);
	// apperror.NotFound when the user is unknown.
	SetUserPageSize(ctx context.Context, userID int64, size int) error
	// ChangePassword is a user's own change: it replaces oldHash, the password they just proved
	// they know, with newHash, and ends their sessions as SetPassword does. If the password
	// changed meanwhile (an administrator's reset), nothing changes and it answers Conflict.
	ChangePassword(ctx context.Context, userID int64, oldHash, newHash string) error

	// CreateSession stores a new login session.
	CreateSession(ctx context.Context, s user.Session) error
	// GetSession returns the session with the token hash that has not expired at now; any other
	// is apperror.NotFound.
	GetSession(ctx context.Context, tokenHash string, now time.Time) (user.Session, error)
	// TouchSession records a request on a session and moves its expiry.
	TouchSession(ctx context.Context, tokenHash string, now, expiresAt time.Time) error
	// DeleteSession ends a session (logout); an unknown one is no error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// PruneSessions deletes the sessions expired at now and says how many.
	PruneSessions(ctx context.Context, now time.Time) (int64, error)

	// CountLoginAttempt counts one try under key (a bounded hash naming what is limited: a
	// login from an address, an address, a user's own password) and returns the tries counted
	// in the key's window with the window's end. A key whose window ended by now starts a new
	// window of the given length. The count and the read are one statement, so every instance
	// on the database shares the count and a restart keeps it. Each call also prunes a few rows
	// whose window has ended, which keeps the table to the live windows.
	CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (LoginAttempts, error)
	// UncountLoginAttempt takes one try back from key's window (a try that turned out to be
	// the user's own, successful one); an unknown key is no error.
	UncountLoginAttempt(ctx context.Context, key string) error
	// ForgetLoginAttempts ends key's window, as after a successful login.
	ForgetLoginAttempts(ctx context.Context, key string) error

	// CreateAPIToken stores a new REST API token (its hash, never the token) and returns it with
	// its id.
	CreateAPIToken(ctx context.Context, t user.APIToken) (user.APIToken, error)
	// GetAPIToken returns the API token with the hash; an unknown one is apperror.NotFound.
	GetAPIToken(ctx context.Context, tokenHash string) (user.APIToken, error)
	// ListAPITokens lists a user's API tokens, or every user's for userID 0, oldest first.
	ListAPITokens(ctx context.Context, userID int64) ([]user.APIToken, error)
	// TouchAPIToken records when a token was last used.
	TouchAPIToken(ctx context.Context, id int64, now time.Time) error
	// DeleteAPIToken revokes an API token.
	DeleteAPIToken(ctx context.Context, id int64) error

	// NotifyAddresses returns the notification addresses (通知先) saved in the settings; none
	// when nothing is saved, and then the start-up configuration's (--notify-to) apply.
	NotifyAddresses(ctx context.Context) (NotifySetting, error)
	// SetNotifyAddresses replaces the saved notification addresses with addrs as
	// notify.Recipients cleans them (a bad address or too many is apperror.Invalid), and
	// returns what was saved. None removes them, so that --notify-to applies again.
	SetNotifyAddresses(ctx context.Context, addrs []string, actor string) (NotifySetting, error)

	// ListMailTemplates lists the buyer mail templates a shop may use (its own and the shared
	// ones), or with shopID 0 every template.
	ListMailTemplates(ctx context.Context, shopID int64) ([]buyermail.Template, error)
	GetMailTemplate(ctx context.Context, id int64) (buyermail.Template, error)
	// SaveMailTemplate creates a template (ID 0) or updates one, refusing what
	// buyermail.Template.Validate refuses. A template keeps the shop it was created for.
	SaveMailTemplate(ctx context.Context, t buyermail.Template) (buyermail.Template, error)
	// DeleteMailTemplate deletes a template no rule sends (apperror.Conflict otherwise).
	DeleteMailTemplate(ctx context.Context, id int64) error
	// MailSettings returns a shop's SMTP settings for buyer mail, the password opened; the
	// zero Settings (not Configured) when none are saved.
	MailSettings(ctx context.Context, shopID int64) (buyermail.Settings, error)
	// SaveMailSettings saves a shop's SMTP settings, the password sealed; an empty password
	// keeps the one saved.
	SaveMailSettings(ctx context.Context, s buyermail.Settings) error
	// BeginMail is the journal's mark before an SMTP transaction, committed on return: it
	// stores r as buyermail.Sending and returns it with its id, unless the order already has a
	// mail of the template that was not Failed, from any request when r is the rule's, from
	// r's own request otherwise. Then nothing is stored and those mails are returned instead.
	BeginMail(ctx context.Context, r buyermail.Record) (buyermail.Record, []buyermail.Record, error)
	// FinishMail records a mail's outcome and adds it to the order's history.
	FinishMail(ctx context.Context, id int64, state buyermail.State, message string) error
	// ListOrderMails lists an order's buyer mails, oldest first.
	ListOrderMails(ctx context.Context, orderID int64) ([]buyermail.Record, error)
	// ListRecentMails lists every shop's buyer mails, newest first, a page at a time.
	ListRecentMails(ctx context.Context, page, size int) ([]buyermail.Record, error)
	// BounceMail records a bounce (a delivery status notification that came back after the
	// shop's server took the mail) on the mail with its Message-ID: buyermail.Bounced with the
	// report's message, and a line in the order's history. known is false, and nothing is
	// stored, when no mail has that Message-ID; a report received twice is recorded once.
	BounceMail(ctx context.Context, b buyermail.Bounce) (rec buyermail.Record, known bool, err error)
	// CountBouncedMails counts a shop's mails that bounced since a time (要対応).
	CountBouncedMails(ctx context.Context, shopID int64, since time.Time) (int64, error)
	// ListBouncedMails lists a shop's mails that bounced since a time, newest first, at most limit.
	ListBouncedMails(ctx context.Context, shopID int64, since time.Time, limit int) ([]buyermail.Record, error)
	// ListUnacknowledgedBounces lists every bounced mail of a shop not yet marked 確認済み, newest
	// first: what a bulk acknowledge shows, and counts, before it is confirmed.
	ListUnacknowledgedBounces(ctx context.Context, shopID int64) ([]buyermail.Record, error)
	// AcknowledgeBounces marks the shop's bounced mails with these IDs 確認済み by actor with a
	// note, each with a line in its order's history; mails of another shop, not bounced or
	// already acknowledged are left as they are. It returns the mails it marked.
	AcknowledgeBounces(ctx context.Context, shopID int64, mailIDs []int64, actor, note string) ([]buyermail.Record, error)

	// RecordAudit adds a line to 操作履歴, at the store's now. The caller leaves secrets out.
	RecordAudit(ctx context.Context, e AuditEvent) error
	// ListAudit reads 操作履歴, newest first, a page at a time.
	ListAudit(ctx context.Context, page, size int) ([]AuditEvent, error)
	// CallStats counts a shop's calls to its marketplace since a time: the quota's use.
	CallStats(ctx context.Context, shopID int64, since time.Time) (CallStats, error)
	// RecordCall adds a row to the API call history. The caller redacts secrets first.
	RecordCall(ctx context.Context, c channel.Call) (int64, error)
	ListCalls(ctx context.Context, q CallQuery) ([]channel.Call, error)
	// GetCall returns one history row with its (redacted) request and response.
	GetCall(ctx context.Context, id int64) (channel.Call, error)
	// PruneCalls deletes history rows older than before and says how many.
	PruneCalls(ctx context.Context, before time.Time) (int64, error)
}

// Management is an order's 管理区分 and what it refers to.
type Management struct {
	Class          order.ManagementClass
	BundleParentID int64 // a bundle child's parent
	SplitFromID    int64 // a split child's original order
}

// Link is an order's state towards its marketplace.
type Link struct {
	Status  string // channel-specific link status code; "" is 空欄(未処理)
	Message string // what happened, for the operator
	Ref     string // the marketplace's reference while the link is in progress
}

// NotifySetting is the notification addresses (通知先) saved in the settings: where the error
// e-mails go, for the whole installation.
type NotifySetting struct {
	Addresses []string // in the order entered; none when nothing is saved
	// SavedAt and SavedBy say when and by whom they were saved; zero with no addresses.
	SavedAt time.Time
	SavedBy string
}

// Recipients are the addresses an error e-mail goes to: those saved, or while none are, the
// start-up configuration's (fallback).
func (s NotifySetting) Recipients(fallback []string) []string {
	if len(s.Addresses) > 0 {
		return s.Addresses
	}
	return fallback
}

// Exactly reads a filter's value for a field matched whole, such as LinkStatus or LinkMessage:
// "" does not filter (nil), the marker none asks for the empty value, anything else for itself.
func Exactly(v, none string) *string {
	switch v {
	case "":
		return nil
	case none:
		v = ""
	}
	return &v
}

// MaxLinkMessage bounds a link message, in characters: what an operator reads in the list, and
// what a filter on the whole message carries in a URL or a form.
const MaxLinkMessage = 1000

// LinkMessage is a link message as it is stored: on one line, its runs of white space one space
// (a browser sends a form's line break back as CRLF, so a message with one could not be found
// again by the filter on the whole message), at most MaxLinkMessage characters.
func LinkMessage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > MaxLinkMessage {
		s = string(r[:MaxLinkMessage-1]) + "…"
	}
	return s
}

// LoginAttempts is the count of a login-attempt key's current window.
type LoginAttempts struct {
	// Count is the tries in the window, the one just counted included.
	Count int64
	// Until is when the window ends and the count starts again.
	Until time.Time
}

// Tx is a store transaction.
type Tx interface {
	OrderWriter
	// SQL is the underlying transaction, for River's InsertTx.
	SQL() *sql.Tx
}

// OrderWriter changes orders. Every phase move writes an order event in the same transaction.
type OrderWriter interface {
	// UpsertOrders stores imported orders: new ones are inserted into opts.PhaseID, known ones
	// (same shop and number) are never duplicated; they are overwritten only with
	// opts.Overwrite, while marketplace status and payment status always refresh.
	UpsertOrders(ctx context.Context, shopID int64, orders []order.Order, opts UpsertOptions) (UpsertResult, error)
	// MoveOrder moves one order whose version the caller read; a stale version is refused with
	// apperror.Conflict.
	MoveOrder(ctx context.Context, orderID, version, phaseID int64, actor string) error
	// MoveOrderFrom moves one order to toPhaseID if it is still in fromPhaseID, and says
	// whether it did: how a job moves what it finished, whatever else (an import's refresh)
	// changed the order meanwhile, while an order the operator moved elsewhere stays there.
	MoveOrderFrom(ctx context.Context, orderID, fromPhaseID, toPhaseID int64, actor string) (bool, error)
	// MoveOrders moves many orders at once, of any shops, and returns the ids that changed
	// phase.
	MoveOrders(ctx context.Context, orderIDs []int64, phaseID int64, actor string) ([]int64, error)
	// MarkPhaseDone notes that the rule of the order's phase finished with it and, having no
	// phase to move it to, left it there (order.Order.PhaseDone): the rule does not take it again
	// until it is moved. An order no longer in phaseID is left as it is.
	MarkPhaseDone(ctx context.Context, orderID, phaseID int64) error
	// UpdateShipments replaces an order's shipments, refusing a stale version.
	UpdateShipments(ctx context.Context, orderID, version int64, shipments []order.Shipment, actor string) error
	// UpdateShipmentsMany is UpdateShipments for many orders at once, in a few statements per
	// hundreds of orders; one stale version refuses the whole call.
	UpdateShipmentsMany(ctx context.Context, updates []ShipmentUpdate, actor string) error
	// SetLinkStatus sets the link status, its message and its reference on orders.
	SetLinkStatus(ctx context.Context, orderIDs []int64, link Link) error
	// SetManagement sets an order's 管理区分 (management class) with the order it is bundled into
	// or split from (0: none), refusing a stale version.
	SetManagement(ctx context.Context, orderID, version int64, m Management) error
	// ReplaceLines replaces an order's lines (a split moves some of them to its children),
	// refusing a stale version.
	ReplaceLines(ctx context.Context, orderID, version int64, lines []order.Line) error
	// DeleteOrder deletes an order ichigen made itself: a split child, when the split is undone.
	DeleteOrder(ctx context.Context, orderID int64) error
	// MarkPaid confirms the payment of orders by hand (入金確認): those still unpaid become
	// 入金済み on paidOn (YYYY-MM-DD), each with a line in its history, and stay so when an import
	// refreshes them; it returns their ids. Orders paid already are left as they are.
	MarkPaid(ctx context.Context, orderIDs []int64, paidOn, actor string) ([]int64, error)
	// SetOrderMemo writes the shop's memo on an order (備考・メモ, already normalised) with a line
	// in its history, and says whether it changed; version 0 skips the stale check. An import
	// never touches the memo.
	SetOrderMemo(ctx context.Context, orderID, version int64, memo, actor string) (bool, error)
	// AddOrderEvents writes lines of orders' histories (the operator's changes that are not a
	// phase move, such as a link status set by hand).
	AddOrderEvents(ctx context.Context, events []order.Event) error
}

// ShipmentUpdate is one order's new shipments, with the version they were read at.
type ShipmentUpdate struct {
	OrderID   int64
	Version   int64
	Shipments []order.Shipment
}

// UpsertOptions steer an import.
type UpsertOptions struct {
	PhaseID   int64 // phase of new orders
	Overwrite bool  // 同一注文を上書きする
	Actor     string
}

// UpsertResult counts what an import did.
type UpsertResult struct {
	Inserted    int
	Overwritten int
	Refreshed   int // only marketplace-owned fields changed
	Unchanged   int
	// IDs holds the order id of each input order, in input order.
	IDs []int64
	// NewIDs holds the ids of the orders this import inserted, for the jobs their phase calls for.
	NewIDs []int64
}

// OrderQuery is a search of the order list. Zero fields do not filter.
type OrderQuery struct {
	ShopID            int64
	Channel           shop.Channel
	PhaseID           int64
	LinkStatus        *string // nil: any; "" is 空欄(未処理)
	LinkMessage       *string // nil: any; matched whole, "" is none: the orders of one LinkErrorGroup
	MarketplaceStatus order.MarketplaceStatus
	PaymentStatus     order.PaymentStatus
	ManagementClass   order.ManagementClass
	OrderedFrom       time.Time // inclusive
	OrderedTo         time.Time // exclusive
	Keyword           string    // order number or buyer name (part), or tracking number (whole)
	BundleParentID    int64     // the children bundled into this order
	SplitFromID       int64     // the children split from this order
	Sort              OrderSort // default: newest order first
	Ascending         bool      // smallest first; the default is largest (newest) first
	Page              int       // from 1
	PageSize          int       // default 50, at most 1000

	// PhaseEnteredTo finds the orders that came into their phase before it (exclusive): with
	// PhaseID, those held in the phase longer than the company expects (workflow.Phase.Expected).
	PhaseEnteredTo time.Time

	// PostageUnfixed finds the orders whose postage is not fixed yet (送料未確定, Rakuten -9999).
	PostageUnfixed bool

	// Prime finds the orders the marketplace promised a fast delivery for (Amazon Prime).
	Prime bool
	// ShipBy finds the orders whose LatestShipDate is before it (exclusive); orders without one
	// are left out.
	ShipBy time.Time

	// Batch finds the orders of a bulk move (BulkBatches).
	Batch int64

	// OrderedWithin is a day range relative to the day the query runs (今日, 過去7日, 今月), read
	// in Japan time on the store's clock each time; when set it stands for OrderedFrom and
	// OrderedTo, so a saved search of 「今日」 stays today's (issue 20 item 3).
	OrderedWithin order.DayRange `json:",omitempty"`
}

// OrderState is the little of an order a bulk operation's preview needs.
type OrderState struct {
	ID                int64
	ShopID            int64
	PhaseID           int64
	MarketplaceStatus order.MarketplaceStatus
	LinkStatus        string
}

// MaskedName is what a buyer's or recipient's name reads once their data is removed.
const MaskedName = "(削除済み)"

// OrderSort is a column the order list sorts on.
type OrderSort string

// The sortable columns. Every sort ends on the order id, so pages never overlap.
const (
	SortOrderedAt         OrderSort = ""                   // 注文日時
	SortNumber            OrderSort = "number"             // 注文番号
	SortBuyer             OrderSort = "buyer"              // 購入者
	SortTotal             OrderSort = "total"              // 合計金額 (未確定 first)
	SortPhase             OrderSort = "phase"              // 処理フェーズ
	SortLinkStatus        OrderSort = "link_status"        // 連携ステータス
	SortMarketplaceStatus OrderSort = "marketplace_status" // モールステータス
	SortUpdatedAt         OrderSort = "updated_at"         // 更新日時
	// SortShipBy sorts on the LatestShipDate. Orders without one come first on SQLite and last on
	// PostgreSQL in ascending order; a query with ShipBy set has none of them.
	SortShipBy OrderSort = "ship_by" // 出荷期限
)

// OrderSorts lists the sortable columns.
var OrderSorts = []OrderSort{SortOrderedAt, SortNumber, SortBuyer, SortTotal, SortPhase, SortLinkStatus, SortMarketplaceStatus, SortUpdatedAt, SortShipBy}

// OrderPage is one page of search results, without lines or shipments.
type OrderPage struct {
	Orders []order.Order
	// Total counts the orders found, up to CountCap+1: more than CountCap shows as
	// 「10,000件以上」 (Capped).
	Total    int64
	Page     int
	PageSize int
}

// PhaseCounts are the order list's side bar: per phase id, the orders of each shop id, each up
// to CountCap+1.
type PhaseCounts map[int64]map[int64]int64

// Total is the count of a phase across the shops, up to CountCap+1.
func (c PhaseCounts) Total(phaseID int64) int64 {
	var n int64
	for _, m := range c[phaseID] {
		n += m
	}
	return min(n, CountCap+1)
}

// CountCap bounds the order list's counts (the total and the side bar's counts per phase):
// counting every one of 800,000 matching orders takes longer than the list may. A count of
// CountCap+1 means "more than CountCap".
const CountCap = 10_000

// Capped says whether a count of the order list stands for more than CountCap.
func Capped(n int64) bool { return n > CountCap }

// LinkErrorQuery narrows LinkErrorGroups. Zero fields do not filter.
type LinkErrorQuery struct {
	ShopID int64
}

// LinkErrorGroup is the orders of one shop that failed alike: one error link status with one
// message. OrderQuery{ShopID, LinkStatus, LinkMessage} finds exactly them.
type LinkErrorGroup struct {
	ShopID      int64
	LinkStatus  string
	LinkMessage string
	// Count counts the orders, up to CountCap+1 like the order list's counts (Capped).
	Count int64
	// Newest is when the group's newest order was placed.
	Newest time.Time
}

// MaxLinkErrorGroups bounds the groups LinkErrorGroups returns per shop: the most frequent
// errors are what an operator fixes first, and a page of them stays short.
const MaxLinkErrorGroups = 20

// AuditEvent is one line of 操作履歴: who changed which setting when.
type AuditEvent struct {
	ID     int64
	At     time.Time
	Actor  string // the login of the user (or the token's user) who did it
	Action string // what was done, in Japanese: 「処理フェーズを削除」
	Target string // what it was done to: 「楽天デモ店 / 保留」
	Detail string // more, never a secret: the names of the credential keys saved, the new level
}

// CallStats counts a shop's calls since a time.
type CallStats struct {
	Calls     int64 // every call (a read-back note is none)
	Throttled int64 // refused for the quota (HTTP 429)
	Failed    int64 // any outcome but ok, the throttled included
}

// CallQuery is a search of the API call history. Zero fields do not filter.
type CallQuery struct {
	ShopID   int64
	OrderID  int64
	JobKind  string
	Outcome  channel.Outcome
	From, To time.Time
	Page     int
	PageSize int
}

// DefaultPageSize and MaxPageSize bound search pages.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Normalise returns the page number and size to use, and the row offset.
func Normalise(page, size int) (int, int, int) {
	if page < 1 {
		page = 1
	}
	if size <= 0 {
		size = DefaultPageSize
	}
	if size > MaxPageSize {
		size = MaxPageSize
	}
	return page, size, (page - 1) * size
}

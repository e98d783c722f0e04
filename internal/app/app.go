// Package app assembles ichigen from its configuration: the store on the chosen engine with its
// migrations, the River queue, and the HTTP server. cmd/ichigen only parses flags and calls it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/api"
	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/server"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore"
	"github.com/ichigen-oms/ichigen/internal/web"
)

// Version is set at build time with -ldflags "-X github.com/ichigen-oms/ichigen/internal/app.Version=…".
var Version = "dev"

// OpenStore opens the configured store and brings its schema and River's up to date.
func OpenStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (store.Store, error) {
	box, err := cfg.SecretBox()
	if err != nil {
		return nil, err
	}
	engine, address := cfg.Engine()
	var st store.Store
	switch engine {
	case store.EngineSQLite:
		st, err = sqlitestore.Open(ctx, address, box)
	default:
		st, err = pgstore.Open(ctx, address, box)
	}
	if err != nil {
		// A driver's error may quote the database string it was given, password and all.
		return nil, config.RedactError(err, cfg.DatabaseURL())
	}
	migrateRiver := func(ctx context.Context) error { return jobs.Migrate(ctx, st, logger) }
	if engine == store.EnginePostgres {
		err = pgstore.WithAdvisoryLock(ctx, st.DB(), pgstore.RiverMigrationLock, migrateRiver)
	} else {
		err = migrateRiver(ctx)
	}
	if err != nil {
		st.Close()
		return nil, config.RedactError(err, cfg.DatabaseURL())
	}
	return st, nil
}

// Server is a running ichigen instance.
type Server struct {
	Store    store.Store
	Queue    *jobs.Queue
	channels *channels
	listener net.Listener
	bounces  *buyermail.BounceListener
	http     *http.Server
	cfg      *config.Config
	logger   *slog.Logger
}

// Option adjusts Start.
type Option func(*options)

type options struct {
	now         func() time.Time
	asyncSettle time.Duration
}

// WithClock makes the jobs read time from now, e.g. a simulator's clock in tests and the demo.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithAsyncSettle sets how long a marketplace is given to apply an async write whose answer
// was lost before the orders are read back (rakuten.DefaultAsyncSettle by default): a simulator
// applies in seconds, RMS within minutes.
func WithAsyncSettle(d time.Duration) Option { return func(o *options) { o.asyncSettle = d } }

// Start opens the store, starts the queue and listens on cfg.Addr.
func Start(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts ...Option) (*Server, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if err := cfg.CheckTimeouts(); err != nil {
		return nil, err
	}
	if err := channel.CheckRegistry(); err != nil {
		return nil, err
	}
	st, err := OpenStore(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	s := &Server{Store: st, cfg: cfg, logger: logger}
	channels := newChannels(st, cfg.ChannelTimeout)
	channels.asyncSettle = o.asyncSettle
	s.channels = channels
	pgURL := ""
	// SQLite has no LISTEN: River finds a job queued inside a transaction (an operator's move
	// and the rule it queues) only when it polls, so it polls often; PostgreSQL is told at commit.
	poll := sqlitePoll
	if st.Engine() == store.EnginePostgres {
		_, pgURL = cfg.Engine()
		poll = 0 // River's default, a fallback behind LISTEN
	}
	s.Queue, err = jobs.New(ctx, st, jobs.Config{Workers: jobs.NewWorkers(jobs.Deps{Store: st, Fetcher: channels.fetcher, Processor: channels.processor, Eligibility: channels.eligibility,
		Mailer:   &notify.Mailer{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword},
		NotifyTo: config.NotifyAddresses(cfg.NotifyTo), CallRetention: cfg.CallRetention, JobTimeout: cfg.JobTimeout, Now: o.now, Logger: logger}),
		PeriodicJobs: jobs.PeriodicJobs(), MaxWorkers: int(cfg.MaxWorkers), JobTimeout: cfg.JobTimeout, PostgresURL: pgURL, FetchPollInterval: poll, Logger: logger})
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := s.Queue.Start(ctx); err != nil {
		st.Close()
		return nil, err
	}
	s.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.shutdownQueue()
		st.Close()
		return nil, fmt.Errorf("listen on %s: %w (is another ichigen running? choose another with --addr)", cfg.Addr, err)
	}
	if cfg.BounceAddr != "" {
		if s.bounces, err = buyermail.ListenBounces(cfg.BounceAddr, jobs.BounceHandler(st), logger); err != nil {
			s.listener.Close()
			s.shutdownQueue()
			st.Close()
			return nil, fmt.Errorf("listen for bounces on %s: %w (choose another with --bounce-addr)", cfg.BounceAddr, err)
		}
	}
	// What operators change through the UI and the API is recorded in 操作履歴; the jobs keep the
	// plain store.
	operated := audit.Wrap(st, logger)
	bounceMailbox := ""
	if cfg.BounceAddr != "" {
		bounceMailbox = cfg.BounceMailbox
	}
	s.http = &http.Server{
		Handler: server.New(server.Deps{Database: st, Queue: s.Queue, Version: Version,
			Web: web.New(web.Deps{Store: operated, Mover: s.Queue, Client: channels.client, SecureCookies: cfg.SecureCookies, NotifyTo: config.NotifyAddresses(cfg.NotifyTo), MailEnabled: cfg.SMTPAddr != "", BounceMailbox: bounceMailbox, Logger: logger}),
			API: api.New(api.Deps{Store: operated, Queue: s.Queue, Client: channels.client, NotifyTo: config.NotifyAddresses(cfg.NotifyTo), MailEnabled: cfg.SMTPAddr != "", Logger: logger})}),
		ReadHeaderTimeout: 10 * time.Second,
		// Headers (cookies, a bearer token) are read before anything is authenticated: 64 KiB
		// is ample for them, where net/http would take a mebibyte.
		MaxHeaderBytes: 64 << 10,
	}
	go func() {
		if err := s.http.Serve(s.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http server stopped", "error", err)
		}
	}()
	logger.Info("ichigen started", "version", Version, "engine", st.Engine(), "database", config.RedactURL(cfg.DatabaseURL()), "url", s.URL())
	return s, nil
}

// URL is where the server answers.
func (s *Server) URL() string {
	addr := s.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Shutdown stops taking requests, lets running jobs finish within the shutdown timeout (a few
// seconds by default, so that Ctrl+C returns at once), hands those still running back to the
// queue, and closes the store.
func (s *Server) Shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	errs := []error{s.http.Shutdown(ctx)}
	if s.bounces != nil {
		errs = append(errs, s.bounces.Close())
	}
	errs = append(errs, s.shutdownQueueCtx(ctx))
	errs = append(errs, s.Store.Close())
	s.logger.Info("ichigen stopped")
	return errors.Join(errs...)
}

func (s *Server) shutdownQueue() {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	_ = s.shutdownQueueCtx(ctx)
}

func (s *Server) shutdownQueueCtx(ctx context.Context) error {
	if err := s.Queue.Stop(ctx); err != nil {
		return fmt.Errorf("stop queue: %w", err)
	}
	return nil
}

// sqlitePoll is how often River looks for jobs on SQLite: a move's rule starts within it (River's
// default of a second left the quota idle for up to a second at the start of every drain).
const sqlitePoll = 200 * time.Millisecond

// BounceAddr is where the bounce listener takes reports, nil when --bounce-addr is off.
func (s *Server) BounceAddr() net.Addr {
	if s.bounces == nil {
		return nil
	}
	return s.bounces.Addr
}

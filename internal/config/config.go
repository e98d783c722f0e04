// Package config declares every ichigen option once: its flag, its ICHIGEN_* environment
// variable, its default and its validation. `ichigen config dump` prints the effective values.
package config

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/secret"
)

// Config is ichigen's configuration.
type Config struct {
	DataDir         string
	DB              string
	Addr            string
	SecretKey       string
	LogLevel        string
	ShutdownTimeout time.Duration
	MaxWorkers      int64
	CallRetention   time.Duration
	ChannelTimeout  time.Duration
	JobTimeout      time.Duration
	SMTPAddr        string
	SMTPFrom        string
	SMTPUsername    string
	SMTPPassword    string
	NotifyTo        string
	SecureCookies   bool
	// BounceAddr is where the bounce listener takes failure reports of buyer mails; "" is off.
	BounceAddr string
	// BounceMailbox is the address whose mail reaches the bounce listener; each shop forwards
	// to its own form of it, bounce+<shop id>@… (buyermail.ShopBounceAddress).
	BounceMailbox string
}

// option is one declared option.
type option struct {
	flag   cli.Flag
	env    string
	secret bool
	value  func() string
}

// DefaultShutdownTimeout is how long Ctrl+C (or SIGTERM) lets running jobs and requests finish:
// a few seconds, after which running jobs are cancelled and handed back to the queue (River
// runs them again; a write whose answer was lost is read back first), so that `ichigen demo`
// and `serve` return at once rather than after a long marketplace backlog.
const DefaultShutdownTimeout = 3 * time.Second

func env(name string) string { return "ICHIGEN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) }

func (c *Config) options() []option {
	str := func(name, def, usage string, dst *string, validate func(string) error, secret bool) option {
		f := &cli.StringFlag{Name: name, Value: def, Usage: usage, Destination: dst, Sources: cli.EnvVars(env(name)),
			Validator: validate, HideDefault: secret}
		if validate != nil && (secret || name == "db") {
			// The CLI library quotes a value its Validator refuses, whole: a secret key, or a
			// database string with its password. These are checked by the flag's Action
			// instead (it runs for a flag and for its environment variable alike), and the
			// error names the option and what is wrong, never the value.
			f.Validator = nil
			f.Action = func(_ context.Context, _ *cli.Command, v string) error {
				if err := validate(v); err != nil {
					return fmt.Errorf("--%s (%s): %w", name, env(name), err)
				}
				return nil
			}
		}
		return option{flag: f, env: env(name), secret: secret, value: func() string { return *dst }}
	}
	return []option{
		str("data-dir", "./ichigen-data", "directory for the SQLite database and the generated secret key", &c.DataDir, nonEmpty, false),
		str("db", "", "database: sqlite:PATH or a postgres:// URL (default sqlite:DATA-DIR/ichigen.db)", &c.DB, validateDB, false),
		str("addr", "127.0.0.1:8080", "HTTP listen address HOST:PORT", &c.Addr, validateAddr, false),
		str("secret-key", "", "base64 key (32 bytes) that encrypts marketplace credentials; generated into DATA-DIR/secret.key when empty", &c.SecretKey, validateKey, true),
		str("smtp-addr", "", "SMTP server HOST:PORT for the error e-mails; empty turns e-mail off", &c.SMTPAddr, validateOptionalAddr, false),
		str("smtp-from", "ichigen@localhost", "sender address of ichigen's e-mails", &c.SMTPFrom, nonEmpty, false),
		str("smtp-username", "", "SMTP user (AUTH PLAIN after STARTTLS); empty for a relay without authentication", &c.SMTPUsername, nil, false),
		str("smtp-password", "", "SMTP password", &c.SMTPPassword, nil, true),
		str("notify-to", "", "comma-separated addresses that receive the error e-mails", &c.NotifyTo, validateAddresses, false),
		str("bounce-addr", "", "HOST:PORT of an SMTP listener for buyer mails' bounce reports, forwarded to it from each shop's sender mailbox; empty turns it off", &c.BounceAddr, validateOptionalAddr, false),
		str("bounce-mailbox", "bounce@localhost", "the address whose mail reaches the bounce listener (its domain's MX points at --bounce-addr); each shop's sender mailbox forwards to bounce+<shop id>@ that domain, shown in the shop's mail settings", &c.BounceMailbox, validateAddresses, false),
		str("log-level", "info", "log level: debug, info, warn or error", &c.LogLevel, validateLevel, false),
		{
			flag: &cli.DurationFlag{Name: "shutdown-timeout", Value: DefaultShutdownTimeout, Usage: "how long running jobs and requests may finish on shutdown (Ctrl+C) before running jobs are cancelled and handed back to the queue, to run again",
				Destination: &c.ShutdownTimeout, Sources: cli.EnvVars(env("shutdown-timeout")), Validator: positive[time.Duration]},
			env: env("shutdown-timeout"), value: func() string { return c.ShutdownTimeout.String() },
		},
		{
			flag: &cli.DurationFlag{Name: "call-retention", Value: 365 * 24 * time.Hour, Usage: "how long the API call history (連携履歴) is kept",
				Destination: &c.CallRetention, Sources: cli.EnvVars(env("call-retention")), Validator: positive[time.Duration]},
			env: env("call-retention"), value: func() string { return c.CallRetention.String() },
		},
		{
			flag: &cli.DurationFlag{Name: "channel-timeout", Value: 30 * time.Second, Usage: "how long one marketplace call may take before its outcome counts as unknown",
				Destination: &c.ChannelTimeout, Sources: cli.EnvVars(env("channel-timeout")), Validator: positive[time.Duration]},
			env: env("channel-timeout"), value: func() string { return c.ChannelTimeout.String() },
		},
		{
			flag: &cli.DurationFlag{Name: "job-timeout", Value: time.Minute, Usage: "how long one job run may take (long work goes in steps of half of it); a run left behind by a crashed instance is run again after twice this",
				Destination: &c.JobTimeout, Sources: cli.EnvVars(env("job-timeout")), Validator: positive[time.Duration]},
			env: env("job-timeout"), value: func() string { return c.JobTimeout.String() },
		},
		{
			flag: &cli.BoolFlag{Name: "secure-cookies", Usage: "mark the login cookies Secure even on plain HTTP, behind a proxy that terminates TLS (requests over TLS always get them)",
				Destination: &c.SecureCookies, Sources: cli.EnvVars(env("secure-cookies"))},
			env: env("secure-cookies"), value: func() string { return fmt.Sprint(c.SecureCookies) },
		},
		{
			flag: &cli.Int64Flag{Name: "max-workers", Value: 20, Usage: "jobs run at once by this instance",
				Destination: &c.MaxWorkers, Sources: cli.EnvVars(env("max-workers")), Validator: positive[int64]},
			env: env("max-workers"), value: func() string { return fmt.Sprint(c.MaxWorkers) },
		},
	}
}

// Flags returns the flags that fill c.
func (c *Config) Flags() []cli.Flag {
	var out []cli.Flag
	for _, o := range c.options() {
		out = append(out, o.flag)
	}
	return out
}

// Dump writes the effective configuration as environment assignments, secrets redacted.
func (c *Config) Dump(w io.Writer) {
	for _, o := range c.options() {
		v := o.value()
		if o.secret && v != "" {
			v = "(set, redacted)"
		}
		if o.env == env("db") {
			v = RedactURL(c.DatabaseURL())
		}
		fmt.Fprintf(w, "%s=%s\n", o.env, v)
	}
}

// CheckTimeouts refuses a job timeout that leaves a job run less than two marketplace calls at
// their longest: an import step would never finish.
func (c *Config) CheckTimeouts() error {
	if c.JobTimeout > 0 && c.JobTimeout < 2*c.ChannelTimeout {
		return fmt.Errorf("--job-timeout %s is shorter than two calls of --channel-timeout %s: make it at least %s", c.JobTimeout, c.ChannelTimeout, 2*c.ChannelTimeout)
	}
	return nil
}

// DatabaseURL is the effective database: --db, or the SQLite file in the data directory.
func (c *Config) DatabaseURL() string {
	if c.DB != "" {
		return c.DB
	}
	return "sqlite:" + filepath.Join(c.DataDir, "ichigen.db")
}

// Engine splits the database URL into the engine and its address.
func (c *Config) Engine() (engine, address string) {
	u := c.DatabaseURL()
	if path, ok := strings.CutPrefix(u, "sqlite:"); ok {
		return "sqlite", path
	}
	return "postgres", u
}

// SecretBox returns the credential box: from --secret-key, or the key file in the data directory.
// On PostgreSQL the key must be given: instances sharing a database must share the key, and a
// key generated into one instance's data directory would be another's undecryptable secret.
func (c *Config) SecretBox() (*secret.Box, error) {
	var key []byte
	var err error
	if engine, _ := c.Engine(); engine == "postgres" && c.SecretKey == "" {
		return nil, fmt.Errorf("on PostgreSQL set ICHIGEN_SECRET_KEY (the same on every instance; make one with: openssl rand -base64 32)")
	}
	if c.SecretKey != "" {
		key, err = secret.ParseKey(c.SecretKey)
	} else {
		key, err = secret.LoadOrCreateKeyFile(c.DataDir)
	}
	if err != nil {
		return nil, err
	}
	return secret.NewBox(key)
}

// Level returns the slog level.
func (c *Config) Level() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.LogLevel))
	return l
}

// RedactURL hides the passwords in a database string: a URL's user password and its password or
// sslpassword parameters, or the password values of a key=value string. A string that does not
// parse as a URL (a bad %-escape) is redacted by its shape, hiding more rather than less.
func RedactURL(s string) string {
	if strings.HasPrefix(s, "sqlite:") {
		return s // a file path holds no password
	}
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Opaque == "" {
		if q, err := url.ParseQuery(u.RawQuery); err == nil {
			for k := range q {
				if isPasswordKey(k) {
					q.Set(k, redacted)
				}
			}
			u.RawQuery = q.Encode()
			return u.Redacted()
		}
	}
	return redactLoose(s)
}

// RedactError hides the database string dsn in err's text, and any password value the text
// holds, for a driver whose errors quote the string it was given (pgx redacts its own on a best
// effort; a url.Error quotes the whole URL). errors.Is and errors.As still see err.
func RedactError(err error, dsn string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if dsn != "" && !strings.HasPrefix(dsn, "sqlite:") {
		safe := RedactURL(dsn)
		msg = strings.ReplaceAll(msg, dsn, safe)
		if q := strconv.Quote(dsn); len(q) > 2 {
			msg = strings.ReplaceAll(msg, q[1:len(q)-1], safe)
		}
	}
	msg = passwordValue.ReplaceAllString(msg, "${1}"+redacted)
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError is an error shown with its secrets hidden.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redacted replaces a password.
const redacted = "xxxxx"

func isPasswordKey(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "sslpassword"
}

// passwordValue is a password=… (or sslpassword=…) of a key=value string or a URL's query: a
// quoted value, or everything up to a space or &.
var passwordValue = regexp.MustCompile(`(?i)((?:^|[\s&?;])(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)`)

// redactLoose hides passwords in a string whose parts cannot be told apart for certain: the
// userinfo after scheme:// up to the last @ keeps only its user, and every password value goes.
func redactLoose(s string) string {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			user, _, hasPassword := strings.Cut(rest[:at], ":")
			if hasPassword {
				user += ":" + redacted
			}
			s = scheme + "://" + user + rest[at:]
		}
	}
	return passwordValue.ReplaceAllString(s, "${1}"+redacted)
}

func nonEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("must not be empty")
	}
	return nil
}

func validateDB(s string) error {
	switch {
	case s == "":
		return nil
	case strings.HasPrefix(s, "sqlite:") && len(s) > len("sqlite:"):
		return nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err == nil {
			_, err = url.ParseQuery(u.RawQuery)
		}
		if err != nil {
			return fmt.Errorf("%s is not a valid URL: %s", RedactURL(s), urlProblem(err))
		}
		return nil
	case passwordValue.MatchString(s) || strings.Contains(s, "host="):
		return fmt.Errorf("%s is a key=value connection string: give it as a URL instead, postgres://USER:PASSWORD@HOST:5432/DATABASE", RedactURL(s))
	}
	return fmt.Errorf("%q is not a database: use sqlite:PATH (for example sqlite:./ichigen-data/ichigen.db) or a postgres:// URL", RedactURL(s))
}

// urlProblem says what is wrong with a URL without quoting it: a url.Error holds the whole URL,
// and an escape error the characters of the password around it.
func urlProblem(err error) string {
	var esc url.EscapeError
	if errors.As(err, &esc) || strings.Contains(err.Error(), "escape") {
		return "a % is not followed by two hexadecimal digits (write a % in a password or a parameter as %25)"
	}
	var host url.InvalidHostError
	if errors.As(err, &host) {
		return "the host is not valid"
	}
	return "it does not parse"
}

func validateAddr(s string) error {
	if _, _, err := net.SplitHostPort(s); err != nil {
		return fmt.Errorf("%q is not HOST:PORT (for example 127.0.0.1:8080 or :8080)", s)
	}
	return nil
}

func validateOptionalAddr(s string) error {
	if s == "" {
		return nil
	}
	return validateAddr(s)
}

// validateAddresses keeps notify.IsAddress, the rule the settings page's addresses keep too.
func validateAddresses(s string) error {
	for _, a := range NotifyAddresses(s) {
		if !notify.IsAddress(a) {
			return fmt.Errorf("%q is not an e-mail address: give the bare address, like ops@example.jp, without a name or < >", a)
		}
	}
	return nil
}

// NotifyAddresses splits the notify-to option: the addresses the error e-mails go to while
// none are saved in the settings (通知先).
func NotifyAddresses(s string) []string { return notify.SplitAddresses(s) }

func validateKey(s string) error {
	if s == "" {
		return nil
	}
	_, err := secret.ParseKey(s)
	return err
}

func validateLevel(s string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return fmt.Errorf("%q is not a log level: use debug, info, warn or error", s)
	}
	return nil
}

func positive[T int64 | time.Duration](v T) error {
	if v <= 0 {
		return fmt.Errorf("must be greater than zero")
	}
	return nil
}

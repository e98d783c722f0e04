package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v3"
)

// parse runs the flags over args and environment like the binary does.
func parse(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	c := &Config{}
	cmd := &cli.Command{Name: "ichigen", Flags: c.Flags(), Writer: io.Discard, ErrWriter: io.Discard, Action: func(context.Context, *cli.Command) error { return nil }}
	err := cmd.Run(context.Background(), append([]string{"ichigen"}, args...))
	return c, err
}

func TestOptionsComeFromFlagsAndEnvironment(t *testing.T) {
	c, err := parse(t, []string{"--addr", ":9090"}, map[string]string{"ICHIGEN_DATA_DIR": "/var/lib/ichigen", "ICHIGEN_MAX_WORKERS": "7"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" || c.DataDir != "/var/lib/ichigen" || c.MaxWorkers != 7 {
		t.Fatalf("%+v", c)
	}
	if engine, path := c.Engine(); engine != "sqlite" || path != "/var/lib/ichigen/ichigen.db" {
		t.Fatalf("default database %s %s", engine, path)
	}
}

func TestBadOptionsSayWhatToDo(t *testing.T) {
	cases := map[string][]string{
		"use sqlite:PATH":            {"--db", "mysql://x"},
		"HOST:PORT":                  {"--addr", "8080"},
		"openssl rand -base64 32":    {"--secret-key", "short"},
		"debug, info, warn or error": {"--log-level", "loud"},
		"greater than zero":          {"--max-workers", "0"},
		"without a name or < >":      {"--notify-to", "ops@example.jp, 運用 <boss@example.jp>"},
	}
	for want, args := range cases {
		if _, err := parse(t, args, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v, want a message containing %q", args, err, want)
		}
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	c, err := parse(t, []string{"--db", "postgres://ichigen:hunter2@db:5432/ichigen", "--secret-key", "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI="}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c.Dump(&out)
	s := out.String()
	if strings.Contains(s, "hunter2") || strings.Contains(s, "Zm9vYmFy") {
		t.Fatalf("dump shows a secret:\n%s", s)
	}
	if got := RedactURL("postgres://db/ichigen?sslpassword=a&password=hunter2"); strings.Contains(got, "hunter2") || strings.Contains(got, "=a") {
		t.Fatalf("query passwords shown: %s", got)
	}
	for _, want := range []string{"ICHIGEN_DB=postgres://ichigen:xxxxx@db:5432/ichigen", "ICHIGEN_SECRET_KEY=(set, redacted)", "ICHIGEN_ADDR=127.0.0.1:8080"} {
		if !strings.Contains(s, want) {
			t.Errorf("dump lacks %s:\n%s", want, s)
		}
	}
}

func TestPostgresNeedsAnExplicitSecretKey(t *testing.T) {
	c := &Config{DataDir: t.TempDir(), DB: "postgres://db/ichigen"}
	if _, err := c.SecretBox(); err == nil || !strings.Contains(err.Error(), "ICHIGEN_SECRET_KEY") {
		t.Fatalf("want a request for ICHIGEN_SECRET_KEY, got %v", err)
	}
	c.DB = ""
	if _, err := c.SecretBox(); err != nil {
		t.Fatalf("SQLite generates its key: %v", err)
	}
}

// TestSecretsNeverShowInErrorsOrTheDump: a refused secret key, a key=value database string and a
// URL with a bad %-escape are reported with what is wrong, never with the secret; the dump
// redacts every form of database string.
func TestSecretsNeverShowInErrorsOrTheDump(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		secret string // must not appear
		want   string // the error says this ("" for no error)
	}{
		{"key not base64", []string{"--secret-key", "hunter2-not-base64!!"}, nil, "hunter2", "is not base64"},
		{"key not base64 from the environment", nil, map[string]string{"ICHIGEN_SECRET_KEY": "hunter2-not-base64!!"}, "hunter2", "ICHIGEN_SECRET_KEY"},
		{"key of the wrong length", []string{"--secret-key", "aHVudGVyMmh1bnRlcjI="}, nil, "aHVudGVyMmh1bnRlcjI", "base64 for 14 bytes"},
		{"key=value string", []string{"--db", "host=db user=ichigen password=hunter2 dbname=ichigen"}, nil, "hunter2", "give it as a URL"},
		{"key=value string, quoted", []string{"--db", "host=db password='hunter2 x' dbname=ichigen"}, nil, "hunter2", "give it as a URL"},
		{"URL with a bad escape in the password", []string{"--db", "postgres://ichigen:hun%zzter2@db/ichigen"}, nil, "zzter2", "two hexadecimal digits"},
		{"URL with a bad escape, from the environment", nil, map[string]string{"ICHIGEN_DB": "postgres://ichigen:hun%zzter2@db/ichigen"}, "zzter2", "ICHIGEN_DB"},
		{"URL with a bad escape in a password parameter", []string{"--db", "postgres://db/ichigen?password=hun%zzter2"}, nil, "zzter2", "two hexadecimal digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, tc.args, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.secret) {
				t.Fatalf("error %v: want it to say %q and not to show %q", err, tc.want, tc.secret)
			}
		})
	}

	for in, want := range map[string]string{
		"postgres://ichigen:hunter2@db:5432/ichigen":                   "postgres://ichigen:xxxxx@db:5432/ichigen",
		"postgres://ichigen:hun%zzter2@db/ichigen":                     "postgres://ichigen:xxxxx@db/ichigen",
		"postgres://ichigen:hunter2@db/ichigen?x=%zz&password=hunter2": "postgres://ichigen:xxxxx@db/ichigen?x=%zz&password=xxxxx",
		"postgres://db/ichigen?sslpassword=hunter2&sslmode=require":    "postgres://db/ichigen?sslmode=require&sslpassword=xxxxx",
		"host=db password=hunter2 dbname=ichigen":                      "host=db password=xxxxx dbname=ichigen",
		"host=db PASSWORD = 'hunter2 x' dbname=ichigen":                "host=db PASSWORD = xxxxx dbname=ichigen",
		"sqlite:./ichigen-data/ichigen.db":                             "sqlite:./ichigen-data/ichigen.db",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}

	// The dump of a URL that no validation saw (set in code, as a test or an embedder would).
	c := &Config{DB: "postgres://ichigen:hun%zzter2@db/ichigen"}
	var out bytes.Buffer
	c.Dump(&out)
	if strings.Contains(out.String(), "zzter2") || !strings.Contains(out.String(), "ICHIGEN_DB=postgres://ichigen:xxxxx@db/ichigen") {
		t.Fatalf("dump:\n%s", out.String())
	}
}

// TestDriverErrorsAreRedacted: an error that quotes the database string (a url.Error does,
// whole) or a password value is shown redacted, and still unwraps to the driver's error.
func TestDriverErrorsAreRedacted(t *testing.T) {
	t.Parallel()
	const dsn = "postgres://ichigen:hunter2@db:notaport/ichigen"
	cause := &url.Error{Op: "parse", URL: dsn, Err: errors.New("invalid port")}
	for _, err := range []error{
		fmt.Errorf("postgres URL: %w", cause),
		fmt.Errorf("cannot parse `host=db password=hunter2`: invalid port"),
		fmt.Errorf("connect: %s", strconv.Quote(dsn+"?password=hunter2")),
	} {
		got := RedactError(err, dsn)
		if strings.Contains(got.Error(), "hunter2") || !errors.Is(got, err) {
			t.Errorf("RedactError(%v) = %v", err, got)
		}
	}
	if !strings.Contains(RedactError(fmt.Errorf("x: %w", cause), dsn).Error(), "ichigen:xxxxx@db:notaport") {
		t.Error("the redacted string is not shown in place of the original")
	}
	plain := errors.New("connection refused")
	if RedactError(plain, dsn) != plain || RedactError(nil, dsn) != nil {
		t.Error("an error without secrets is not returned as it is")
	}
}

// A job timeout shorter than two marketplace calls is refused, saying what to set; the defaults
// pass.
func TestJobTimeoutMustOutlastTwoCalls(t *testing.T) {
	c, err := parse(t, []string{"--job-timeout", "40s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckTimeouts(); err == nil || !strings.Contains(err.Error(), "make it at least 1m0s") {
		t.Fatalf("--job-timeout 40s with --channel-timeout 30s: %v", err)
	}
	if c, err = parse(t, nil, nil); err != nil || c.CheckTimeouts() != nil || c.JobTimeout.String() != "1m0s" {
		t.Fatalf("defaults: %v %v %s", err, c.CheckTimeouts(), c.JobTimeout)
	}
}

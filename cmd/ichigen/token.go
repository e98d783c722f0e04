package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// tokenCommand manages REST API tokens: each acts as its user, with the user's permission group.
func tokenCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "token",
		Usage: "REST API tokens (/api/v1); a token may do what its user may do in the web UI",
		Commands: []*cli.Command{
			{
				Name:  "create",
				Usage: "create a token for a user and print it once",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "login", Usage: "the user's login id", Required: true},
					&cli.StringFlag{Name: "name", Usage: "what the token is for, e.g. the script that uses it"},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					ctx, st, err := openAudited(ctx, cfg)
					if err != nil {
						return err
					}
					defer st.Close()
					token, t, err := createToken(ctx, st, strings.TrimSpace(cmd.String("login")), cmd.String("name"), time.Now())
					if err != nil {
						return err
					}
					fmt.Printf("token %d for %q created\n%s\n(shown once; ichigen keeps only its hash. Send it as Authorization: Bearer <token>)\n",
						t.ID, cmd.String("login"), token)
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list tokens (never the tokens themselves)",
				Flags: []cli.Flag{&cli.StringFlag{Name: "login", Usage: "only this user's tokens"}},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					st, err := app.OpenStore(ctx, cfg, logger(cfg))
					if err != nil {
						return err
					}
					defer st.Close()
					lines, err := listTokens(ctx, st, strings.TrimSpace(cmd.String("login")))
					if err != nil {
						return err
					}
					for _, l := range lines {
						fmt.Println(l)
					}
					return nil
				},
			},
			{
				Name:  "revoke",
				Usage: "revoke a token by its id (from token list)",
				Flags: []cli.Flag{&cli.Int64Flag{Name: "id", Usage: "the token's id", Required: true}},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					ctx, st, err := openAudited(ctx, cfg)
					if err != nil {
						return err
					}
					defer st.Close()
					if err := st.DeleteAPIToken(ctx, cmd.Int64("id")); err != nil {
						return err
					}
					fmt.Printf("token %d revoked\n", cmd.Int64("id"))
					return nil
				},
			},
		},
	}
}

// createToken makes a new token for the user with the login and returns it, to be shown once.
func createToken(ctx context.Context, st store.Store, login, name string, now time.Time) (string, user.APIToken, error) {
	u, err := st.GetUserByLogin(ctx, login)
	if apperror.Is(err, apperror.NotFound) {
		return "", user.APIToken{}, apperror.New(apperror.Invalid, "ユーザー「%s」はいません。ichigen user add で追加してから作成してください。", login)
	}
	if err != nil {
		return "", user.APIToken{}, err
	}
	if u.Disabled {
		return "", user.APIToken{}, apperror.New(apperror.Invalid, "ユーザー「%s」は無効になっているため、APIトークンを作成できません。", login)
	}
	token, hash := user.NewAPIToken()
	t, err := st.CreateAPIToken(ctx, user.APIToken{TokenHash: hash, UserID: u.ID, Name: name, CreatedAt: now})
	return token, t, err
}

// listTokens describes the tokens of the user with the login, or of every user.
func listTokens(ctx context.Context, st store.Store, login string) ([]string, error) {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	logins := map[int64]string{}
	var userID int64
	for _, u := range users {
		logins[u.ID] = u.Login
		if u.Login == login {
			userID = u.ID
		}
	}
	if login != "" && userID == 0 {
		return nil, apperror.New(apperror.Invalid, "ユーザー「%s」はいません。", login)
	}
	tokens, err := st.ListAPITokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		used := "never used"
		if !t.LastUsedAt.IsZero() {
			used = "last used " + t.LastUsedAt.In(order.JST).Format(time.DateTime)
		}
		out = append(out, fmt.Sprintf("%d\t%s\t%q\tcreated %s\t%s", t.ID, logins[t.UserID], t.Name, t.CreatedAt.In(order.JST).Format(time.DateTime), used))
	}
	return out, nil
}

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// adminGroupName is the permission group the first user gets.
const adminGroupName = "管理者"

// userCommand manages operators from the shell: `ichigen user add` creates the first admin,
// `ichigen user passwd` lets a locked-out one back in.
func userCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "user",
		Usage: "operators who log in to the web UI",
		Commands: []*cli.Command{{
			Name:  "add",
			Usage: "add an operator; the first one gets the admin group 管理者 (update on every menu)",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "login", Usage: "login id", Required: true},
				&cli.StringFlag{Name: "name", Usage: "display name"},
				&cli.StringFlag{Name: "email", Usage: "e-mail address"},
				&cli.StringFlag{Name: "group", Usage: "permission group name (default: 管理者 for the first user; required after that)"},
				&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from the first line of standard input instead of generating one"},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				password, generated, err := passwordOf(cmd)
				if err != nil {
					return err
				}
				ctx, st, err := openAudited(ctx, cfg)
				if err != nil {
					return err
				}
				defer st.Close()
				u, group, err := addUser(ctx, st, user.User{Login: strings.TrimSpace(cmd.String("login")), Name: cmd.String("name"), Email: cmd.String("email")},
					cmd.String("group"), password)
				if err != nil {
					return err
				}
				fmt.Printf("user %q added to group %q\n", u.Login, group.Name)
				if generated {
					fmt.Printf("password: %s\n(shown once; keep it safe or add the user again with --password-stdin)\n", password)
				}
				return nil
			},
		}, passwdCommand(cfg)},
	}
}

// passwdCommand sets an operator's password from the shell, for an administrator who can no
// longer log in: no other password is needed, only access to the database.
func passwdCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "passwd",
		Usage: "set an operator's password and end their web sessions (for a locked-out administrator)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "login", Usage: "login id", Required: true},
			&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from the first line of standard input instead of generating one"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			password, generated, err := passwordOf(cmd)
			if err != nil {
				return err
			}
			ctx, st, err := openAudited(ctx, cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			u, err := setPassword(ctx, st, strings.TrimSpace(cmd.String("login")), password)
			if err != nil {
				return err
			}
			fmt.Printf("password of user %q set; their web sessions have ended\n", u.Login)
			if generated {
				fmt.Printf("password: %s\n(shown once; keep it safe or set it again with --password-stdin)\n", password)
			}
			if u.Disabled {
				fmt.Printf("note: user %q is disabled and cannot log in until enabled again in ユーザー・権限設定\n", u.Login)
			}
			return nil
		},
	}
}

// setPassword sets the password of the user with the login, ending their sessions.
func setPassword(ctx context.Context, st store.Store, login, password string) (user.User, error) {
	u, err := st.GetUserByLogin(ctx, login)
	if apperror.Is(err, apperror.NotFound) {
		return u, apperror.New(apperror.Invalid, "ユーザー「%s」はいません。ichigen user add で追加してください。", login)
	}
	if err != nil {
		return u, err
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		return u, err
	}
	if err := st.SetPassword(ctx, u.ID, hash); err != nil {
		return u, fmt.Errorf("set the password of %s: %w", login, err)
	}
	return u, nil
}

// passwordOf is the password a command sets: the first line of standard input with
// --password-stdin, else a generated one that the command prints once.
func passwordOf(cmd *cli.Command) (password string, generated bool, err error) {
	if cmd.Bool("password-stdin") {
		password, err = readPassword(os.Stdin)
		return password, false, err
	}
	return rand.Text(), true, nil
}

// readPassword reads one line; a trailing newline is not part of the password.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// addUser creates u in the named group. With no group named, the first user of the store gets
// the admin group (created when missing); later users must name theirs.
func addUser(ctx context.Context, st store.Store, u user.User, groupName, password string) (user.User, user.Group, error) {
	if err := user.CheckLoginLength(u.Login); err != nil {
		return u, user.Group{}, err
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		return u, user.Group{}, err
	}
	groups, err := st.ListGroups(ctx)
	if err != nil {
		return u, user.Group{}, err
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return u, user.Group{}, err
	}
	var group user.Group
	switch {
	case groupName == "" && len(users) > 0:
		return u, group, apperror.New(apperror.Invalid, "2人目以降のユーザーには --group で権限グループを指定してください。あるグループ: %s", groupNames(groups))
	case groupName == "":
		groupName = adminGroupName
	}
	for _, g := range groups {
		if g.Name == groupName {
			group = g
		}
	}
	if group.ID == 0 {
		if groupName != adminGroupName {
			return u, group, apperror.New(apperror.Invalid, "権限グループ「%s」はありません。あるグループ: %s", groupName, groupNames(groups))
		}
		if group, err = st.CreateGroup(ctx, user.Group{Name: adminGroupName, Permissions: user.AdminPermissions()}); err != nil {
			return u, group, err
		}
	}
	u.PasswordHash, u.GroupID = hash, group.ID
	u, err = st.CreateUser(ctx, u)
	return u, group, err
}

func groupNames(groups []user.Group) string {
	if len(groups) == 0 {
		return "(まだありません)"
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	return strings.Join(names, ", ")
}

package yahoo

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The public-key authentication headers (公開鍵認証, §3a.5): with them on every order-API call, an
// authorisation lasts the refresh token's four weeks instead of twelve hours.
const (
	HeaderSignature        = "X-sws-signature"
	HeaderSignatureVersion = "X-sws-signature-version"
	HeaderAuthorizeStatus  = "X-SWS-Authorize-Status"
)

// Signer makes the X-sws-signature of one store: Base64 of "<sellerId>:<unix seconds>"
// encrypted with the store's public key (PKCS#1 v1.5), issued under ストアクリエイターPro
// 設定 > 暗号鍵管理 with a version number.
type Signer struct {
	key      *rsa.PublicKey
	version  string
	sellerID string
}

// NewSigner reads a PEM public key (PKIX "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY") and its
// version.
func NewSigner(publicKeyPEM, version, sellerID string) (*Signer, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(publicKeyPEM)))
	if block == nil {
		return nil, errors.New("公開鍵をPEM形式(-----BEGIN PUBLIC KEY-----で始まる)で入力してください。")
	}
	var pub *rsa.PublicKey
	if k, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		pub, _ = k.(*rsa.PublicKey)
	} else if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		pub = k
	}
	if pub == nil {
		return nil, errors.New("公開鍵を読み取れません。ストアクリエイターProの暗号鍵管理で発行したRSA公開鍵を入力してください。")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(version)); err != nil || n < 1 {
		return nil, fmt.Errorf("公開鍵のバージョン「%s」は1以上の数字で入力してください。", version)
	}
	return &Signer{key: pub, version: strings.TrimSpace(version), sellerID: sellerID}, nil
}

// Headers returns the two headers for a call made at now.
func (s *Signer) Headers(now time.Time) (signature, version string, err error) {
	plain := s.sellerID + ":" + strconv.FormatInt(now.Unix(), 10)
	enc, err := rsa.EncryptPKCS1v15(rand.Reader, s.key, []byte(plain))
	if err != nil {
		return "", "", fmt.Errorf("sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(enc), s.version, nil
}

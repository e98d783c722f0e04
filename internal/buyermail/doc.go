// Package buyermail is the mail ichigen sends to buyers (サンクスメール, 発送メール): templates
// with placeholders (差し込み項目), their rendering on an order, the RFC 5322 message a Japanese
// mail client reads well, and its delivery through the shop's own SMTP server (for Rakuten, the
// あんしんメルアド relay). Sending once only is the job engine's (internal/jobs), which marks each
// mail in the store before the SMTP transaction; Send says how far a failed delivery got, so the
// engine knows whether the buyer may have received it.
package buyermail

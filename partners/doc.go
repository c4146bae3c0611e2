// Package partners holds the trading-partner configuration: one YAML file
// per partner, loaded and validated with file:line problems (Load), kept as
// an immutable snapshot with lookups by ID, X12 sender, API key, SFTP user
// name and AS2 ID (Set), and swapped atomically on SIGHUP or file change (Live).
//
// The package is pure: it reads files and nothing else. It knows nothing of
// HTTP, SFTP or SQL; the gateway turns a Partner into the options of
// edi.Process (AckOpts, SetCheck) and into its channel checks.
//
// A partner file looks like this (partner-configs/README.md is the full
// field reference):
//
//	id: acme-retail                 # [a-z0-9-]+
//	name: ACME Retail
//	status: active                  # active | testing | suspended
//	x12:
//	  ids: [{qualifier: ZZ, id: ACMERETAIL}]   # ISA05/ISA06 this partner sends from
//	  accept: ["850", "997"]                   # sets accepted from this partner
//	  ack: auto                                # auto | "997" | "999" | none
//	  ta1: on_request                          # always | on_request | never
//	channels:
//	  api: {keys: ["sha256:<hex of the key>"]}
//	  sftp:                          # an account on the gateway's SFTP server
//	    username: acme
//	    authorized_keys: ["ssh-ed25519 AAAA… acme@host"]
//	  remote_sftp:                   # the partner's server, polled by the gateway
//	    host: sftp.acme.example
//	    username: northwind
//	    private_key: "file:keys/acme_id_ed25519"   # or "env:NAME"
//	    host_key: "ssh-ed25519 AAAA…"             # pinned
//	    inbound_dir: /outgoing
//	    outbound_dir: /incoming
//	    schedule: "*/5 * * * *"
//	  as2:                           # AS2 over HTTP
//	    as2_id: ACMERETAIL           # AS2-From of its messages, unique
//	    url: https://as2.acme.example/as2
//	    certificates: ["file:certs/acme.crt"]      # PEM or DER, rollover: several
//	    sign: sha256                 # sha1 | sha256 | sha384 | sha512
//	    encrypt: aes256-cbc          # aes128/192/256-cbc | aes128/256-gcm | none
//	    mdn: sync                    # sync | async
//	    require_signed: true
//	    require_encrypted: false
//	duplicates: {file: accept, interchange: reject, document: hold}
package partners

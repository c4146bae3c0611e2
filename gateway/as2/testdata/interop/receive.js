'use strict'
// receive.js reads an AS2 message that gateway/as2's Sender POSTed (its
// HTTP headers as a JSON object and its body as a file), parses it with
// libas2's AS2Parser, decrypts it with the receiver's key pair, verifies
// its signature against the sender's certificate, and prints one JSON
// object on stdout; gateway/as2/interop_test.go runs it and asserts on that
// object.
//
// Usage:
//   node receive.js --headers FILE --body FILE --cert FILE --key FILE \
//     --their-cert FILE
//
// --cert and --key are the receiver's pair (it decrypts with them; libas2
// reads PKCS#8 keys only); --their-cert is the sender's certificate (it
// verifies the signature with it).

const crypto = require('crypto')
const fs = require('fs')
const { AS2Crypto, AS2Parser } = require('libas2')

function parseArgs (argv) {
  const args = {}
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}`)
    }
    args[argv[i].slice(2)] = argv[i + 1]
  }
  for (const name of ['headers', 'body', 'cert', 'key', 'their-cert']) {
    if (args[name] === undefined) throw new Error(`--${name} is required`)
  }
  return args
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const headers = JSON.parse(fs.readFileSync(args.headers, 'utf8'))
  const body = fs.readFileSync(args.body)
  const cert = fs.readFileSync(args.cert, 'utf8')
  const key = fs.readFileSync(args.key, 'utf8')
  const theirCert = fs.readFileSync(args['their-cert'], 'utf8')

  const summary = { decrypted: false, verified: false }
  const message = await AS2Parser.parse({ headers, content: body })
  summary.contentType = message.contentType
  summary.bodyBytes = body.length
  if (message.content !== undefined) summary.parsedBodyBytes = Buffer.from(message.content).length
  let signed = message
  if (/^application\/pkcs7-mime/i.test(message.contentType || '')) {
    try {
      signed = await AS2Crypto.decrypt(message, { cert, key })
    } catch (err) {
      summary.error = `libas2 cannot decrypt: ${err.message || err}`
      return summary
    }
    summary.decrypted = true
  }
  summary.signedContentType = signed.contentType
  if (!/^multipart\/signed/i.test(signed.contentType || '') || signed.childNodes.length !== 2) {
    summary.error = `the decrypted entity is ${signed.contentType}, not multipart/signed with two parts`
    return summary
  }
  summary.verified = await AS2Crypto.verify(signed, { cert: theirCert })
  // A control: the signature must not verify against another certificate,
  // or the check above proves nothing.
  summary.verifiesWithWrongCert = await AS2Crypto.verify(signed, { cert })
  const part = signed.childNodes[0]
  // libas2's MIME parser (emailjs-mime-parser) keeps the CRLF before the
  // closing delimiter in the first part's content, though RFC 2046 section
  // 5.1.1 makes it part of the delimiter: drop it.
  let payload = Buffer.from(part.content)
  const crlf = Buffer.from('\r\n')
  if (payload.subarray(-2).equals(crlf)) payload = payload.subarray(0, -2)
  summary.payloadContentType = part.contentType
  summary.filename = part.filename
  summary.payloadSha256 = crypto.createHash('sha256').update(payload).digest('hex')
  summary.payload = payload.toString('utf8')
  return summary
}

main().then(summary => {
  process.stdout.write(JSON.stringify(summary) + '\n')
}, err => {
  process.stderr.write(`receive.js: ${err.stack || err}\n`)
  process.exit(1)
})

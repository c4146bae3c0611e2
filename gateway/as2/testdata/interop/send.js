'use strict'
// send.js builds an AS2 message with libas2, POSTs it to an AS2 endpoint,
// and parses and verifies the synchronous MDN with libas2. It prints one
// JSON object on stdout; gateway/as2/interop_test.go runs it and asserts on
// that object.
//
// Usage:
//   node send.js --url URL --mode signed|encrypted --from AS2ID --to AS2ID \
//     --their-cert FILE --cert FILE --key FILE --payload FILE
//
// --their-cert is the receiver's certificate (it encrypts to it and
// verifies the MDN with it); --cert and --key are the sender's pair (it
// signs with them).
//
// libas2 0.8.2 limits what this script can ask for:
//   - key transport is always RSA-OAEP (pkijs's addRecipientByCertificate,
//     with SHA-512 as the OAEP and MGF1 hash); PKCS#1 v1.5 cannot be chosen
//     when encrypting;
//   - it cannot compress (AS2Crypto.compress throws "not implemented").

const fs = require('fs')
const http = require('http')
const { AS2Composer, AS2Crypto, AS2Parser, AS2Disposition } = require('libas2')
// libas2's own dependencies, to report the algorithms it encrypted with.
const asn1js = require('asn1js')
const pkijs = require('pkijs')

function parseArgs (argv) {
  const args = {}
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}`)
    }
    args[argv[i].slice(2)] = argv[i + 1]
  }
  for (const name of ['url', 'mode', 'from', 'to', 'their-cert', 'cert', 'key', 'payload']) {
    if (args[name] === undefined) throw new Error(`--${name} is required`)
  }
  if (args.mode !== 'signed' && args.mode !== 'encrypted') {
    throw new Error(`--mode is signed or encrypted, not ${args.mode}`)
  }
  return args
}

// post sends body with headers and resolves to the response's raw headers
// and body.
function post (url, headers, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(body, 'utf8')
    const req = http.request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': data.length }
    }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({
        status: res.statusCode,
        rawHeaders: res.rawHeaders,
        headers: res.headers,
        body: Buffer.concat(chunks)
      }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(data)
  })
}

// envelopeAlgorithms returns the OIDs of the key transport and content
// encryption algorithms of a DER CMS EnvelopedData.
function envelopeAlgorithms (der) {
  const buf = Buffer.from(der)
  const asn1 = asn1js.fromBER(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
  const info = new pkijs.ContentInfo({ schema: asn1.result })
  const env = new pkijs.EnvelopedData({ schema: info.content })
  return {
    keyEncryption: env.recipientInfos.map(r => r.value.keyEncryptionAlgorithm.algorithmId),
    contentEncryption: env.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId
  }
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const theirCert = fs.readFileSync(args['their-cert'], 'utf8')
  const cert = fs.readFileSync(args.cert, 'utf8')
  const key = fs.readFileSync(args.key, 'utf8')
  const payload = fs.readFileSync(args.payload)

  const composer = new AS2Composer({
    message: {
      filename: 'po-interop.edi',
      contentType: 'application/edi-x12',
      content: payload
    },
    agreement: {
      host: {
        name: 'sender',
        id: args.from,
        url: 'http://sender.invalid/as2',
        certificate: cert,
        privateKey: key,
        sign: 'sha-256',
        mdn: { signing: 'sha-256' }
      },
      partner: {
        name: 'receiver',
        id: args.to,
        url: args.url,
        file: 'EDIX12',
        certificate: theirCert,
        encrypt: args.mode === 'encrypted' ? 'aes256-CBC' : false
      }
    }
  })

  // The MIC is the digest libas2 put in its signature. When it encrypts,
  // the signed entity is only reachable inside AS2Crypto.encrypt, so wrap
  // it to keep that entity; the composer itself runs unchanged.
  let signedNode, enveloped
  const encrypt = AS2Crypto.encrypt
  AS2Crypto.encrypt = async (node, options) => {
    signedNode = node
    enveloped = await encrypt.call(AS2Crypto, node, options)
    return enveloped
  }
  const message = await composer.compile()
  if (args.mode === 'signed') signedNode = message
  if (signedNode === undefined || !/^multipart\/signed/i.test(signedNode.contentType || '')) {
    throw new Error('libas2 did not produce a signed entity')
  }
  const digest = await AS2Crypto.verify(signedNode, { cert }, true)
  if (!digest) throw new Error('libas2 cannot verify its own signature')
  const sentMic = digest.digest.toString('base64')

  const { headers, body } = await composer.toRequestOptions(args.url)
  const res = await post(args.url, headers, body)
  const summary = {
    mode: args.mode,
    messageId: message.messageId(),
    requestContentType: headers['Content-Type'] || headers['content-type'],
    status: res.status,
    mdnContentType: res.headers['content-type'],
    sentMic
  }
  if (enveloped !== undefined) Object.assign(summary, envelopeAlgorithms(enveloped.content))
  if (res.status !== 200) {
    summary.error = `HTTP ${res.status}: ${res.body.toString('utf8')}`
    return summary
  }

  const mdn = await AS2Parser.parse({ headers: res.rawHeaders, content: res.body })
  summary.mdnSigned = /^multipart\/signed/i.test(res.headers['content-type'] || '')
  summary.mdnSignatureVerified = summary.mdnSigned && await AS2Crypto.verify(mdn, { cert: theirCert })
  // A control: the same signature must not verify against another
  // certificate, or the check above proves nothing.
  summary.mdnVerifiesWithWrongCert = summary.mdnSigned && await AS2Crypto.verify(mdn, { cert })
  let disposition
  try {
    disposition = await AS2Disposition.incoming(mdn, summary.mdnSigned ? { cert: theirCert } : undefined)
  } catch (err) {
    summary.error = `libas2 rejects the MDN: ${err.message}`
    return summary
  }
  const n = disposition.notification
  summary.originalMessageId = n.originalMessageId
  summary.dispositionType = n.disposition.type
  summary.processed = n.disposition.processed && n.disposition.description === undefined
  summary.dispositionDescription = n.disposition.description
  summary.receivedMic = n.receivedContentMic ? n.receivedContentMic.mic : undefined
  summary.receivedMicAlgorithm = n.receivedContentMic ? n.receivedContentMic.algorithm : undefined
  summary.micMatches = summary.receivedMic === sentMic
  return summary
}

main().then(summary => {
  process.stdout.write(JSON.stringify(summary) + '\n')
}, err => {
  process.stderr.write(`send.js: ${err.stack || err}\n`)
  process.exit(1)
})

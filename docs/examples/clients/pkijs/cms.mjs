// Shared helpers of the PKI.js example client: PEM, keys, the WebCrypto engine of Node.
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: webcrypto }));
export { asn1js, pkijs, webcrypto };

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  envelopedData: "1.2.840.113549.1.7.3",
  authEnvelopedData: "1.2.840.113549.1.9.16.1.23",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecPublicKey: "1.2.840.10045.2.1",
  commonName: "2.5.4.3",
};

/** The DER inside the first PEM block of a file (or the file itself when it is DER). */
export function pemFile(path, label) {
  const bytes = readFileSync(path);
  const text = bytes.toString("latin1");
  const m = text.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`));
  if (!m) {
    if (text.includes("-----BEGIN")) throw new Error(`${path}: no ${label} PEM block`);
    return new Uint8Array(bytes);
  }
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

export function certificate(path) {
  return pkijs.Certificate.fromBER(pemFile(path, "CERTIFICATE"));
}

export function commonName(cert) {
  const cn = cert.subject.typesAndValues.find((tv) => tv.type === OID.commonName);
  return cn ? cn.value.valueBlock.value : null;
}

export function keyAlgorithm(cert) {
  return cert.subjectPublicKeyInfo.algorithm.algorithmId;
}

/** An unencrypted PKCS#8 PEM key (as ./hub pki init writes) for signing with the key of {@code cert}. */
export async function signingKey(path, cert) {
  const der = pemFile(path, "PRIVATE KEY");
  const alg = keyAlgorithm(cert) === OID.ecPublicKey
    ? { name: "ECDSA", namedCurve: "P-256" }
    : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return webcrypto.subtle.importKey("pkcs8", der, alg, false, ["sign"]);
}

/** Command-line flags: --name value. */
export function flags(argv, required) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const r of required) {
    if (!(r in out)) throw new Error(`--${r} is required`);
  }
  return out;
}

export function fail(e) {
  process.stderr.write(`error: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}

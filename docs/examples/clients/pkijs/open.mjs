// A recipient opens a package from the hub with PKI.js: decrypts the EnvelopedData (AES-256-CBC, RSA-OAEP or ECDH)
// with its own key, verifies the hub's SignedData against the partnership CA, checks that the signer is the hub, and
// writes the package JSON. Declare packageFormat: enveloped-aes256-cbc-rsa-oaep (and install an RSA certificate) for a
// PKI.js recipient: PKI.js cannot open AuthEnvelopedData, the hub's default.
//
//   node open.mjs --in package.p7m --cert R.pem --key R.key --ca ca.pem --out package.json [--hub hub]
import { readFileSync, writeFileSync } from "node:fs";
import { pkijs, OID, certificate, commonName, pemFile, flags, fail } from "./cms.mjs";

async function main() {
  const a = flags(process.argv.slice(2), ["in", "cert", "key", "ca", "out"]);
  const me = certificate(a.cert);
  const outer = pkijs.ContentInfo.fromBER(new Uint8Array(readFileSync(a.in)));
  if (outer.contentType === OID.authEnvelopedData) {
    throw new Error("the package is AuthEnvelopedData, which PKI.js cannot open: ask the partnership to declare"
      + " packageFormat: enveloped-aes256-cbc-rsa-oaep for this recipient");
  }
  if (outer.contentType !== OID.envelopedData) throw new Error("the package is not EnvelopedData");
  const envelope = new pkijs.EnvelopedData({ schema: outer.content });
  const index = envelope.recipientInfos.findIndex((ri) => ri.value instanceof pkijs.KeyTransRecipientInfo
    ? ri.value.rid.serialNumber && ri.value.rid.serialNumber.isEqual(me.serialNumber) && ri.value.rid.issuer.isEqual(me.issuer)
    : ri.value instanceof pkijs.KeyAgreeRecipientInfo);
  if (index < 0) throw new Error("the package is not addressed to this certificate");
  const inner = await envelope.decrypt(index, { recipientCertificate: me, recipientPrivateKey: pemFile(a.key, "PRIVATE KEY") });

  const signedInfo = pkijs.ContentInfo.fromBER(new Uint8Array(inner));
  if (signedInfo.contentType !== OID.signedData) throw new Error("the package's content is not SignedData");
  const signed = new pkijs.SignedData({ schema: signedInfo.content });
  const result = await signed.verify({ signer: 0, checkChain: true, trustedCerts: [certificate(a.ca)], extendedMode: true });
  if (!result.signatureVerified) throw new Error("the hub's signature does not verify");
  const hub = a.hub || "hub";
  if (commonName(result.signerCertificate) !== hub) throw new Error(`the package is not signed by ${hub}`);
  const eContent = signed.encapContentInfo.eContent;
  writeFileSync(a.out, Buffer.from(eContent.getValue()));
}

main().catch(fail);

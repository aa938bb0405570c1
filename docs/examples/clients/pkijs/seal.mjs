// A partner seals a submission for the hub with PKI.js: SignedData (ECDSA or RSA, SHA-256, signed attributes),
// then EnvelopedData, AES-256-CBC, to the hub's certificate: RSA-OAEP with SHA-256 to its RSA certificate, ECDH to its
// EC one. (PKI.js has no AuthEnvelopedData; WebCrypto has no RSA PKCS#1 v1.5 encryption.)
//
//   node seal.mjs --in submission.json --cert P.pem --key P.key --recip hub-rsa.pem --out submission.p7m
import { readFileSync, writeFileSync } from "node:fs";
import { asn1js, pkijs, webcrypto, OID, certificate, signingKey, flags, fail } from "./cms.mjs";

async function main() {
  const a = flags(process.argv.slice(2), ["in", "cert", "key", "recip", "out"]);
  const content = new Uint8Array(readFileSync(a.in));
  const signer = certificate(a.cert);
  const key = await signingKey(a.key, signer);

  const digest = await webcrypto.subtle.digest("SHA-256", content);
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      eContent: new asn1js.OctetString({ valueHex: content }),
    }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
          new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
          new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
        ],
      }),
    })],
    certificates: [signer],
  });
  await signed.sign(key, 0, "SHA-256");
  const signedDer = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) })
    .toSchema().toBER(false);

  const envelope = new pkijs.EnvelopedData();
  envelope.addRecipientByCertificate(certificate(a.recip), { oaepHashAlgorithm: "SHA-256", kdfAlgorithm: "SHA-256" });
  await envelope.encrypt({ name: "AES-CBC", length: 256 }, signedDer);
  const der = new pkijs.ContentInfo({ contentType: OID.envelopedData, content: envelope.toSchema() })
    .toSchema().toBER(false);
  writeFileSync(a.out, Buffer.from(der));
}

main().catch(fail);

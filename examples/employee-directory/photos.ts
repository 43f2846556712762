/**
 * Employee photos in the bucket (PHOTOS_BUCKET), under `employee_pic/` as seed 000's app
 * keeps them, shown through presigned GET URLs so the bucket stays private.
 */
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** What a photo may be: the formats every browser shows, recognised by their first bytes. */
const FORMATS: { type: string; ext: string; magic: (b: Buffer) => boolean }[] = [
  { type: 'image/png', ext: 'png', magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', ext: 'jpg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', ext: 'gif', magic: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', ext: 'webp', magic: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export function photoFormat(bytes: Buffer): { type: string; ext: string } | undefined {
  return FORMATS.find((f) => f.magic(bytes));
}

/** How long a photo link works. */
const LINK_SECONDS = 900;

export class Photos {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Stores a photo under a new random key; returns the key. */
  async put(bytes: Buffer, format: { type: string; ext: string }): Promise<string> {
    const key = `employee_pic/${randomBytes(8).toString('hex')}.${format.ext}`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: format.type, CacheControl: 'private, max-age=900' }),
    );
    return key;
  }

  /** A link that shows the photo for a while: signed locally with the instance role's credentials. */
  link(key: string): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: LINK_SECONDS });
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

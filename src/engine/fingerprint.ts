/**
 * A running fingerprint of what happened in a run: two independent 32-bit hashes
 * (FNV-1a and a Murmur-style mix) over every traced fact and event time, printed as
 * 16 hex digits. Two runs of the same scenario and seed must end with the same value;
 * the first divergence shows up as different fingerprints.
 */
export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;

  /** Mixes an integer-valued number (times in ms are rounded to µs). */
  mixNumber(value: number): void {
    const scaled = Math.round(value * 1000);
    const lo = scaled | 0;
    const hi = Math.floor(scaled / 4294967296) | 0;
    this.mixInt(lo);
    this.mixInt(hi);
  }

  mixString(text: string): void {
    for (let i = 0; i < text.length; i++) this.mixInt(text.charCodeAt(i));
    this.mixInt(0x1f);
  }

  private mixInt(v: number): void {
    this.a = Math.imul(this.a ^ (v & 0xffff), 0x01000193);
    this.a = Math.imul(this.a ^ (v >>> 16), 0x01000193);
    let k = Math.imul(v, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    this.b ^= k;
    this.b = (this.b << 13) | (this.b >>> 19);
    this.b = (Math.imul(this.b, 5) + 0xe6546b64) | 0;
  }

  /** An independent copy: what is mixed into it leaves this one as it is. */
  copy(): Fingerprint {
    const c = new Fingerprint();
    c.a = this.a;
    c.b = this.b;
    return c;
  }

  /** The fingerprint as 16 lowercase hex digits. */
  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

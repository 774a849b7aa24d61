// Reads the MQTT fixed headers in a connection's byte stream as it arrives, and says when a packet
// announces more than the limit: the connection can then be closed before the packet's body is
// read (mqtt-packet's parser would otherwise buffer up to 256 MB for one packet). Pure.
//
// Fixed header (MQTT 3.1.1, 2.2): one byte of type and flags, then the remaining length as a
// variable byte integer of one to four bytes, seven bits each, least significant first.

const MAX_LENGTH_BYTES = 4;

export class PacketSizeGuard {
  /** 'type': next byte starts a packet; 'length': inside its remaining length; 'body': skipping it. */
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private multiplier = 1;
  private left = 0;
  /** A malformed length: the parser will refuse the connection itself, nothing to follow any more. */
  private lost = false;

  constructor(private readonly maxBytes: number) {}

  /** Feeds the next bytes; the size of the first packet over the limit, else null. */
  feed(chunk: Uint8Array): number | null {
    let i = 0;
    while (i < chunk.length && !this.lost) {
      if (this.state === 'body') {
        const n = Math.min(this.left, chunk.length - i);
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = 'type';
      } else if (this.state === 'type') {
        i++;
        this.state = 'length';
        this.length = 0;
        this.lengthBytes = 0;
        this.multiplier = 1;
      } else {
        const b = chunk[i++];
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (b & 0x80) {
          if (this.lengthBytes === MAX_LENGTH_BYTES) this.lost = true;
          continue;
        }
        const size = 1 + this.lengthBytes + this.length;
        if (size > this.maxBytes) return size;
        this.left = this.length;
        this.state = this.left > 0 ? 'body' : 'type';
      }
    }
    return null;
  }
}

/**
 * A POST /uploads written by hand on a raw socket, so a test can send part of a file, stop, or
 * go away mid-body (what fetch cannot do).
 */
import { connect, type Socket } from 'node:net';

const BOUNDARY = 'pneumatic-test-boundary';

/** The multipart envelope of one `file` part of `size` bytes: what goes before and after its bytes. */
export function uploadEnvelope(size: number): { head: Buffer; tail: Buffer; length: number } {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return { head, tail, length: head.length + size + tail.length };
}

/** Opens a raw upload announcing `size` bytes of file; resolves with the socket once the headers and the part's head are sent. */
export function rawUpload(url: string, token: string, size: number): Promise<{ socket: Socket; reply: Promise<string> }> {
  const { port } = new URL(url);
  const { head, length } = uploadEnvelope(size);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST /uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`,
      );
      socket.write(head);
      let text = '';
      const reply = new Promise<string>((done) => {
        socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
        socket.on('close', () => done(text));
        socket.on('error', () => {});
      });
      resolve({ socket, reply });
    });
    socket.once('error', reject);
  });
}

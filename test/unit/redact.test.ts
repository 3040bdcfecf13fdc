import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../../src/shared/redact.js';

describe('redactCredentials', () => {
  it('hides user and password in every URL of a text, and nothing else', () => {
    expect(redactCredentials("Input #0, rtsp, from 'rtsp://admin:Qw3rty@10.1.2.3:554/Streaming/1':"))
      .toBe("Input #0, rtsp, from 'rtsp://***@10.1.2.3:554/Streaming/1':");
    expect(redactCredentials('-i rtsp://u:p@a/x -i rtsps://v@b/y')).toBe('-i rtsp://***@a/x -i rtsps://***@b/y');
    expect(redactCredentials('rtsp://10.1.2.3/stream user@example.kz')).toBe('rtsp://10.1.2.3/stream user@example.kz');
  });
});

// Typed messages between content scripts, extension pages and the background, with shape checks.
import type { Detection } from '../types';

export interface DetectedMessage {
  type: 'detected';
  detection: Detection;
}

export type Message = DetectedMessage;

const KINDS = new Set(['policy', 'interpretation', 'other']);

/** Validates an incoming message's shape; anything else is dropped by the background. */
export function parseMessage(raw: unknown): Message | null {
  if (!raw || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (m.type === 'detected') {
    const d = m.detection as Record<string, unknown> | undefined;
    if (!d || typeof d !== 'object' || !KINDS.has(d.kind as string) || typeof d.site !== 'string') return null;
    return { type: 'detected', detection: d as unknown as Detection };
  }
  return null;
}

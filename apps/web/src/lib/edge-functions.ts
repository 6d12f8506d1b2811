import {
  FunctionsFetchError,
  FunctionsHttpError,
  FunctionsRelayError,
} from '@supabase/supabase-js';
import { AppError } from './errors';
import { supabase } from './supabase';

// The edge functions answer errors as `{ error: { code, message, details? } }`
// (docs/workflows-contract.md, "HTTP API"). supabase-js hands back the raw Response:
// read it here once so every caller gets an AppError with the status and the details.

export type FunctionErrorDetail = { path: string; code: string; message: string };

export class FunctionError extends AppError {
  readonly status: number;
  readonly details: FunctionErrorDetail[];
  constructor(
    message: string,
    options: { status: number; code?: string; details?: FunctionErrorDetail[]; cause?: unknown },
  ) {
    super(message, { code: options.code, cause: options.cause });
    this.name = 'FunctionError';
    this.status = options.status;
    this.details = options.details ?? [];
  }
}

const NETWORK_MESSAGE = "Can't reach the server. Check your connection and try again.";

const fallbackMessages: Record<number, string> = {
  401: 'Your session has expired. Sign in again.',
  403: "You don't have permission to do that in this organisation.",
  404: 'It may have been deleted, or you no longer have access.',
  409: 'It changed in the meantime. Reload and try again.',
};

const asDetail = (value: unknown): FunctionErrorDetail | null => {
  if (typeof value !== 'object' || value === null) return null;
  const { path, code, message } = value as Record<string, unknown>;
  return {
    path: Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '',
    code: typeof code === 'string' ? code : '',
    message: typeof message === 'string' ? message : String(message ?? ''),
  };
};

/** Turn what `functions.invoke` returned as its error into a FunctionError. */
export async function toFunctionError(error: unknown): Promise<FunctionError> {
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    const payload =
      typeof body === 'object' && body !== null
        ? ((body as { error?: unknown }).error ?? body)
        : null;
    const { code, message, details } =
      typeof payload === 'object' && payload !== null
        ? (payload as Record<string, unknown>)
        : ({} as Record<string, unknown>);
    const status = response.status;
    return new FunctionError(
      typeof message === 'string' && message
        ? message
        : (fallbackMessages[status] ?? 'Something went wrong. Please try again.'),
      {
        status,
        code: typeof code === 'string' ? code : undefined,
        details: Array.isArray(details)
          ? details.map(asDetail).filter((d): d is FunctionErrorDetail => d !== null)
          : [],
        cause: error,
      },
    );
  }
  if (error instanceof FunctionsFetchError || error instanceof FunctionsRelayError) {
    return new FunctionError(NETWORK_MESSAGE, { status: 0, code: 'network', cause: error });
  }
  return new FunctionError(error instanceof Error ? error.message : String(error), {
    status: 0,
    cause: error,
  });
}

/** Call an edge function as the signed-in user; throws a FunctionError on any failure. */
export async function invokeFunction<T>(
  name: string,
  options: {
    body?: Record<string, unknown>;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const { data, error } = await supabase.functions.invoke<T>(name, {
    method: options.method ?? 'POST',
    ...(options.body ? { body: options.body } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (error) throw await toFunctionError(error);
  return data as T;
}

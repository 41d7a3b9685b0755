// The parts of rrweb 2 we use, typed here: rrweb's own declarations do not
// compile under `skipLibCheck: false` (rrdom's const enums, a merged
// `record` declaration), and we check every library type we touch.
// tsconfig `paths` points `@rrweb/record` and `rrweb` here; the JS is theirs.

export interface RecordOptions {
  emit: (event: unknown, isCheckout?: boolean) => void;
  checkoutEveryNms?: number | undefined;
  blockSelector?: string;
  maskTextSelector?: string;
  maskAllInputs?: boolean;
  maskInputOptions?: Record<string, boolean>;
  maskInputFn?: (text: string, element: HTMLElement | null) => string;
  maskTextFn?: (text: string, element: HTMLElement | null) => string;
  slimDOMOptions?: Record<string, boolean> | 'all' | true;
  inlineStylesheet?: boolean;
  sampling?: { mousemove?: boolean | number; scroll?: number; input?: 'all' | 'last' };
  recordCanvas?: boolean;
  collectFonts?: boolean;
  errorHandler?: (error: unknown) => void | boolean;
  plugins?: unknown[];
}

export declare function record(options: RecordOptions): (() => void) | undefined;
export declare namespace record {
  function takeFullSnapshot(isCheckout?: boolean): void;
  const mirror: { getNode(id: number): Node | null };
}

export interface ReplayerConfig {
  root?: Element;
  speed?: number;
  skipInactive?: boolean;
  showWarning?: boolean;
  mouseTail?: boolean;
  triggerFocus?: boolean;
  UNSAFE_replayCanvas?: boolean;
  useVirtualDom?: boolean;
}

export declare class Replayer {
  constructor(events: unknown[], config?: ReplayerConfig);
  wrapper: HTMLDivElement;
  iframe: HTMLIFrameElement;
  play(timeOffset?: number): void;
  pause(timeOffset?: number): void;
  setConfig(config: Partial<ReplayerConfig>): void;
  getMetaData(): { startTime: number; endTime: number; totalTime: number };
  getCurrentTime(): number;
  getMirror(): { getNode(id: number): Node | null };
  on(event: string, handler: (payload?: unknown) => void): this;
  destroy(): void;
}

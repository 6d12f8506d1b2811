// jsdom lays nothing out: React Flow needs ResizeObserver and sizes to draw edges. This is
// the shim React Flow's testing guide gives (reactflow.dev/learn/advanced-use/testing);
// nodes carry their own width and height (definition-graph's NODE_SIZE), so edges draw.
class ResizeObserver {
  callback: ResizeObserverCallback;
  constructor(callback: ResizeObserverCallback) {
    this.callback = callback;
  }
  observe(target: Element) {
    this.callback([{ target } as ResizeObserverEntry], this);
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnly {
  m22: number;
  constructor(transform: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? +scale : 1;
  }
}

let installed = false;

export function mockReactFlow() {
  if (installed) return;
  installed = true;
  globalThis.ResizeObserver = ResizeObserver as unknown as typeof globalThis.ResizeObserver;
  // @ts-expect-error: enough of DOMMatrixReadOnly for React Flow's zoom reading
  globalThis.DOMMatrixReadOnly = DOMMatrixReadOnly;
  Object.defineProperties(globalThis.HTMLElement.prototype, {
    offsetHeight: {
      get() {
        return Number.parseFloat((this as HTMLElement).style.height) || 1;
      },
    },
    offsetWidth: {
      get() {
        return Number.parseFloat((this as HTMLElement).style.width) || 1;
      },
    },
  });
  (globalThis.SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () =>
    ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;
}

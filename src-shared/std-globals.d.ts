// The WHATWG globals every process has (Node, the preload, the renderer): src-shared may use these and nothing else.
interface URL {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}
declare const URL: { prototype: URL; new (url: string, base?: string): URL };

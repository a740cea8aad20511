import { describe, expect, test } from "@jest/globals";
import { tarFiles, TarFormatError, type TarFile } from "../../../src/github/tar-entries.js";

/** One ustar header block (the parts the reader looks at), with a valid checksum. */
function header(name: string, size: number, type = "0", prefix = ""): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, "utf8");
  block.write("0000644\0", 100, "latin1");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  block.write(type, 156, "latin1");
  block.write("ustar\0", 257, "latin1");
  block.write("00", 263, "latin1");
  block.write(prefix, 345, 155, "utf8");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return block;
}

function entry(name: string, content: Buffer | string, type = "0", prefix = ""): Buffer {
  const bytes = Buffer.from(content);
  const padding = Buffer.alloc((512 - (bytes.length % 512)) % 512);
  return Buffer.concat([header(name, bytes.length, type, prefix), bytes, padding]);
}

function pax(records: Record<string, string>): Buffer {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = text.length;
      while (String(length).length + text.length !== length) length = String(length).length + text.length;
      return `${length}${text}`;
    })
    .join("");
  return entry("pax_header", body, "x");
}

const END = Buffer.alloc(1024);

/** Chunks of `size` bytes, as a stream would deliver them. */
async function* chunks(bytes: Buffer, size = 100): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(archive: Buffer, wanted: (path: string, size: number) => boolean = () => true): Promise<TarFile[]> {
  const out: TarFile[] = [];
  for await (const file of tarFiles(chunks(archive), { wanted })) out.push({ path: file.path, content: Buffer.from(file.content) });
  return out;
}

describe("tarFiles", () => {
  test("regular files across chunk boundaries; directories, links and the global header skipped", async () => {
    const archive = Buffer.concat([
      entry("pax_global_header", "52 comment=0123456789012345678901234567890123456789\n", "g"),
      entry("acme-depot-abc1234/", "", "5"),
      entry("acme-depot-abc1234/a.ts", "export const a = 1;\n"),
      entry("acme-depot-abc1234/link", "", "2"),
      entry("acme-depot-abc1234/big.bin", Buffer.alloc(1_300, 7)),
      END,
    ]);
    const files = await read(archive);
    expect(files.map((f) => f.path)).toEqual(["acme-depot-abc1234/a.ts", "acme-depot-abc1234/big.bin"]);
    expect(files[0]?.content.toString()).toBe("export const a = 1;\n");
    expect(files[1]?.content).toHaveLength(1_300);
  });

  test("long names from the ustar prefix, a pax path and a GNU long name", async () => {
    const long = `top/${"d/".repeat(80)}deep.ts`;
    const archive = Buffer.concat([
      entry("name.ts", "p", "0", "top/prefix"),
      pax({ path: long, mtime: "0" }),
      entry("truncated-name", "x"),
      entry("././@LongLink", `top/${"g".repeat(150)}.ts\0`, "L"),
      entry("short", "y"),
      END,
    ]);
    expect((await read(archive)).map((f) => f.path)).toEqual(["top/prefix/name.ts", long, `top/${"g".repeat(150)}.ts`]);
  });

  test("files not wanted are skipped without being held", async () => {
    const archive = Buffer.concat([entry("top/keep.ts", "k"), entry("top/skip.bin", Buffer.alloc(4_000)), END]);
    expect((await read(archive, (path) => path.endsWith(".ts"))).map((f) => f.path)).toEqual(["top/keep.ts"]);
  });

  test("a corrupt header, an archive cut short or an oversized pax record is an error, never a guess", async () => {
    const good = entry("top/a.ts", "abc");
    const corrupt = Buffer.from(good);
    corrupt[10] = 0x41;
    await expect(read(Buffer.concat([corrupt, END]))).rejects.toBeInstanceOf(TarFormatError);
    await expect(read(good.subarray(0, 600))).rejects.toBeInstanceOf(TarFormatError);
    await expect(read(good.subarray(0, 300))).rejects.toBeInstanceOf(TarFormatError);
    const huge = pax({ path: "x".repeat(70_000) });
    await expect(read(Buffer.concat([huge, good, END]))).rejects.toThrow(/pax/);
    const malformed = entry("pax", "99999 path=x\n", "x");
    await expect(read(Buffer.concat([malformed, good, END]))).rejects.toThrow(/pax/);
  });

  test("an archive without the end marker ends at its last entry", async () => {
    expect(await read(entry("top/a.ts", "abc"))).toHaveLength(1);
  });
});

import { afterAll } from "@jest/globals";
import nock from "nock";

// No network exists here: any request a test did not mock must fail loudly, not hang.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

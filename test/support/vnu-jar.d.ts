// vnu-jar ships no types: its default export is the path to vnu.jar.
declare module 'vnu-jar' {
  const jarPath: string;
  export default jarPath;
}

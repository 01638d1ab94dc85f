@echo off
rem Starts the EdgeDeck console on Windows: edgedeck.cmd [console options], e.g. edgedeck.cmd --rehearsal sentiment-crash
rem
rem It finds a JDK 25 (JAVA_HOME, then the usual install folders), builds the project only when a
rem source or a pom changed since the last build, and starts the console with JavaFX on the module
rem path and with the start-up cache the build made. edgedeck.cmd --help lists the console's options.
setlocal EnableDelayedExpansion

set "ROOT=%~dp0"
if "%ROOT:~-1%"=="\" set "ROOT=%ROOT:~0,-1%"
set "JAR=%ROOT%\console-app\target\edgedeck-console.jar"
set "LIB=%ROOT%\console-app\target\lib"
set "AOT=%ROOT%\console-app\target\edgedeck-console.aot"

set "JDK="
if defined JAVA_HOME call :check "%JAVA_HOME%"
if not defined JDK if defined JAVA_HOME echo edgedeck: JAVA_HOME (%JAVA_HOME%) is not a JDK 25 or newer; looking elsewhere 1>&2
if not defined JDK for /d %%D in ("%ProgramFiles%\Eclipse Adoptium\jdk-*" "%ProgramFiles%\Java\jdk-*" "%ProgramFiles%\Microsoft\jdk-*" "%ProgramFiles%\Zulu\zulu-*" "%ProgramFiles%\Amazon Corretto\jdk*" "%USERPROFILE%\.jdks\*") do (
    if not defined JDK call :check "%%~D"
)
rem The java on PATH, named with its version when it is too old, as ./edgedeck does: the first place a person looks.
set "ONPATH="
set "PATHV="
if not defined JDK for /f "delims=" %%J in ('where java 2^>nul') do if not defined ONPATH set "ONPATH=%%J"
if defined ONPATH for /f "tokens=3" %%V in ('call "%ONPATH%" -version 2^>^&1 ^| findstr /i /c:"version"') do if not defined PATHV set "PATHV=%%~V"
if not defined JDK (
    echo edgedeck: no JDK 25 found. EdgeDeck needs Java 25 or newer. 1>&2
    if defined ONPATH echo   Found, but too old: the java on PATH, !ONPATH!, is Java !PATHV! 1>&2
    if defined OLD echo   Found, but too old:!OLD! 1>&2
    echo   Install a JDK 25 ^(for example Eclipse Temurin 25 from adoptium.net^) and set JAVA_HOME to it: 1>&2
    echo   set JAVA_HOME=C:\Program Files\Eclipse Adoptium\jdk-25 1>&2
    echo   An older Java can stay installed: edgedeck.cmd runs JAVA_HOME's JDK and leaves the default java as it is. 1>&2
    exit /b 1
)

rem Build only when something the build reads is newer than the console it made.
set "STALE="
if not exist "%JAR%" set "STALE=1"
if not defined STALE (
    for /f %%N in ('powershell -NoProfile -Command "$jar = (Get-Item -LiteralPath $env:JAR).LastWriteTime; @(Get-ChildItem -LiteralPath $env:ROOT -Recurse -File -Include pom.xml,*.java,*.css,*.json,*.properties | Where-Object { $_.FullName -notmatch '\\target\\' -and $_.FullName -notmatch '\\.git\\' -and $_.LastWriteTime -gt $jar }).Count"') do (
        if not "%%N"=="0" set "STALE=1"
    )
)
rem The build's output (the start-up cache's training prints the JVM's own lines) goes to a log, shown
rem only when it fails.
if defined STALE (
    if exist "%JAR%" (
        echo edgedeck: building ^(sources changed since the last build^)... 1>&2
    ) else (
        echo edgedeck: first run: building EdgeDeck ^(a few minutes^)... 1>&2
    )
    set "LOG=%ROOT%\target\edgedeck-build.log"
    if not exist "%ROOT%\target" mkdir "%ROOT%\target"
    pushd "%ROOT%"
    set "JAVA_HOME=%JDK%"
    call mvnw.cmd -q -B package -DskipTests > "!LOG!" 2>&1
    if errorlevel 1 (
        popd
        powershell -NoProfile -Command "Get-Content -LiteralPath $env:LOG -Tail 40" 1>&2
        echo edgedeck: the build failed; its whole output is in !LOG! 1>&2
        exit /b 1
    )
    popd
)

rem JavaFX's platform jars (javafx-graphics-26.0.2-win.jar, ...) on the module path; the rest stay on the class path.
set "MODULES="
for %%F in ("%LIB%\javafx-*-win.jar") do (
    if defined MODULES (set "MODULES=!MODULES!;%%~fF") else (set "MODULES=%%~fF")
)
if not defined MODULES (
    echo edgedeck: no JavaFX platform jars in %LIB%; rebuild with mvnw.cmd package 1>&2
    exit /b 1
)

rem The JVM refuses a start-up cache made from another build of the jar, quietly, and the start then
rem takes about a second longer: a cache older than the jar is left out, saying so once and how to make
rem a new one. A cache made by another JDK build is skipped by the JVM, quietly; the console starts as usual.
set "CACHE="
set "AOTSTALE="
if exist "%AOT%" (
    for /f %%S in ('powershell -NoProfile -Command "if ((Get-Item -LiteralPath $env:JAR).LastWriteTime -gt (Get-Item -LiteralPath $env:AOT).LastWriteTime) { 'stale' } else { 'fresh' }"') do (
        if "%%S"=="stale" set "AOTSTALE=1"
    )
    if defined AOTSTALE (
        echo edgedeck: the start-up cache is older than the console ^(built with -Dedgedeck.aot.skip=true?^); starting without it. To start faster: mvnw.cmd -q -B -pl console-app -am package -DskipTests 1>&2
    ) else (
        set "CACHE=-XX:AOTCache=%AOT% -Xlog:aot=off -Xlog:cds=off"
    )
)
"%JDK%\bin\java.exe" %CACHE% --module-path "%MODULES%" --add-modules javafx.controls,javafx.swing --enable-native-access=javafx.graphics,ALL-UNNAMED -Djdk.reflect.useNativeAccessorOnly=true -jar "%JAR%" %*
exit /b %ERRORLEVEL%

rem Sets JDK when the folder holds a JDK 25 or newer (its release file says JAVA_VERSION="25..."); adds an older
rem one to OLD, " Java 17.0.9 at C:\...;", named when no JDK 25 is found.
:check
if not exist "%~1\bin\java.exe" exit /b 0
if not exist "%~1\release" exit /b 0
set "MAJOR="
for /f "tokens=2 delims==" %%V in ('findstr /b "JAVA_VERSION=" "%~1\release"') do (
    set "V=%%~V"
    for /f "tokens=1 delims=." %%M in ("!V!") do set "MAJOR=%%M"
)
if defined MAJOR if !MAJOR! GEQ 25 set "JDK=%~1"
if defined MAJOR if !MAJOR! LSS 25 set "OLD=!OLD! Java !V! at %~1;"
exit /b 0
